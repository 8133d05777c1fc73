// swift-tools-version:6.1
import Foundation
import PackageDescription

/// libFuzzer targets for ReplyIntent (issue #9). Each target is one executable whose
/// `LLVMFuzzerTestOneInput` feeds the bytes to one parser of untrusted input.
///
/// Build them with Tools/fuzz.sh, which passes `--sanitize=fuzzer --sanitize=address` and
/// `-enable-testing` (the targets reach internal entry points with `@testable import`) to every
/// module, this package's and the main package's, in its own scratch path (.build-fuzz).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// A fuzz target: `Sources/<name>/`, linked with the shared input helpers.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name, dependencies: ["FuzzSupport"] + dependencies, path: "Sources/\(name)", swiftSettings: swiftSettings)
}

/// SwiftPM names a package found by path after its folder, which is the checkout's own name
/// (main, a worktree, CI's clone), so the main package's identity is read from the path.
let mainPackage = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

func main(_ product: String) -> Target.Dependency { .product(name: product, package: mainPackage) }

let package = Package(
    name: "ReplyIntentFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", swiftSettings: swiftSettings),
        fuzzTarget("http2-server", [main("ReplyIntentFuzzing")]),
        fuzzTarget("grpc-server", [main("ReplyIntentFuzzing")]),
        fuzzTarget("deframer", [main("ReplyIntentFuzzing")]),
        fuzzTarget("messages", [main("ReplyIntentFuzzing")]),
        fuzzTarget("tenant-policy", [main("ReplyIntentFuzzing")]),
        fuzzTarget("templates", [main("ReplyIntentFuzzing")]),
        fuzzTarget("tokens", [main("ReplyIntentFuzzing")]),
        fuzzTarget("settings", [main("ReplyIntentFuzzing")]),
        fuzzTarget("model-file", [main("ReplyIntentFuzzing")]),
    ]
)

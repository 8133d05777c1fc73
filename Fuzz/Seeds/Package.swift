// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Writes the fuzz targets' seed corpus, Fuzz/Corpus (an ordinary program, built without the
/// fuzzer's instrumentation, so a package of its own):
///
///     swift run --package-path Fuzz/Seeds --scratch-path .build-fuzz-seeds fuzz-seeds "$PWD"
///
/// The corpus is committed; run this again when an encoder or a seed changes.
let mainPackage = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "ReplyIntentFuzzSeeds",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "fuzz-seeds", dependencies: [.product(name: "ReplyIntentFuzzing", package: mainPackage)],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]),
    ]
)

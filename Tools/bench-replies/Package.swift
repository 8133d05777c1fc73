// swift-tools-version:6.1
import Foundation
import PackageDescription

/// Renders the bundled reply templates with our renderer (`ReplyTemplate.render`) and with
/// swift-mustache, the general Mustache library, and prints the time per render of each. Run by
/// Tools/bench-replies.sh; a package of its own so that the product does not depend on
/// swift-mustache.
let mainPackage = URL(fileURLWithPath: Context.packageDirectory)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "ReplyIntentBenchReplies",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "bench-replies",
            dependencies: [
                .product(name: "ReplyIntentReplies", package: mainPackage),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]),
    ]
)

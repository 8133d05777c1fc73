// swift-tools-version:6.1
import PackageDescription

/// Settings shared by every Swift target: Swift 6 mode plus the upcoming features
/// that keep imports and existentials explicit. Release builds use SwiftPM's `-O`: overflow and
/// precondition checks stay on in code that parses untrusted bytes (BENCHMARKS.md measures the cost).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "ReplyIntent",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "intentd", targets: ["intentd"]),
        .executable(name: "intentctl", targets: ["intentctl"]),
        // The modules the fuzz targets in Fuzz/ (their own package) test; not an API for others.
        .library(
            name: "ReplyIntentFuzzing",
            targets: [
                "Blocking", "RPC", "HTTP2", "GZip", "Posix", "Messages", "GRPCTransport", "InteropService", "Classifier", "ModelCache",
                "Replies", "Policy", "Tenancy", "TenantStore", "ReplyIntentService", "ReplyIntentServer",
            ]),
        // The reply templates alone, for Tools/bench-replies (its own package); not an API for others.
        .library(name: "ReplyIntentReplies", targets: ["Replies"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Layer 0: C libraries, found through pkg-config, with shims for what Swift cannot import.
        .systemLibrary(name: "CNGHTTP2", pkgConfig: "libnghttp2", providers: [.apt(["libnghttp2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c", providers: [.apt(["libprotobuf-c-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CReplyIntentProtos", dependencies: ["CProtobufC"]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Layer 1: pure Swift cores. Blocking: the permit the blocking APIs require, and where to get one.
        .target(name: "Blocking", swiftSettings: swiftSettings),
        .target(name: "RPC", dependencies: ["Blocking"], swiftSettings: swiftSettings),
        .target(name: "Classifier", swiftSettings: swiftSettings),

        // Layer 2: thin wrappers, the only Swift code that calls C.
        .systemLibrary(name: "CPosix"),  // epoll/eventfd headers + GNU extensions (helper L)
        .target(name: "Posix", dependencies: ["CPosix"], swiftSettings: swiftSettings),
        .target(name: "HTTP2", dependencies: ["CNGHTTP2"], swiftSettings: swiftSettings),
        // libcrypto: SHA-256, HMAC-SHA256, constant-time comparison, random bytes, the error queue.
        .target(name: "Crypto", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),
        .target(name: "TLS", dependencies: ["COpenSSL", "Crypto"], swiftSettings: swiftSettings),
        .target(name: "GZip", dependencies: ["CZlib"], swiftSettings: swiftSettings),
        .target(name: "Messages", dependencies: ["CReplyIntentProtos", "CProtobufC"], swiftSettings: swiftSettings),
        // SQL: one blocking connection interface over libsqlite3 and libpq (the store's drivers).
        .target(name: "SQL", dependencies: ["CSQLite", "CLibPQ", "Blocking"], swiftSettings: swiftSettings),

        // Layer 3: gRPC over HTTP/2, and the services.
        .target(name: "GRPCTransport", dependencies: ["RPC", "HTTP2", "TLS", "GZip", "Posix"], swiftSettings: swiftSettings),
        .target(name: "InteropService", dependencies: ["RPC", "Messages"], swiftSettings: swiftSettings),

        // Layer 3: the ReplyIntent product's parts (pure Swift but for ModelCache's file watching).
        // JSON string literals for the JSON lines the server and the CLI write by hand.
        .target(name: "JSONText", swiftSettings: swiftSettings),
        // Configuration files: the YAML reading every file reader shares (errors with lines and keys).
        .target(name: "YAMLSupport", dependencies: ["Yams"], swiftSettings: swiftSettings),
        .target(name: "Tenancy", dependencies: ["Crypto", "Posix", "Yams", "YAMLSupport"], swiftSettings: swiftSettings),
        .target(name: "Policy", dependencies: ["Classifier", "Replies", "Yams", "YAMLSupport"], swiftSettings: swiftSettings),
        .target(name: "Replies", dependencies: ["Yams"], swiftSettings: swiftSettings),
        .target(name: "Alerts", swiftSettings: swiftSettings),
        .target(
            name: "ModelCache", dependencies: ["Blocking", "Classifier", "Posix", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        // The tenants directory's one owner: tenant snapshots, the reload procedure and its triggers.
        .target(
            name: "TenantStore",
            dependencies: ["Tenancy", "Policy", "Replies", "ModelCache", "Posix", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings),
        // Append-only line logs (the corrections log): one writer thread, O_APPEND, fsync, rotation.
        .target(name: "AppendLog", dependencies: ["Posix"], swiftSettings: swiftSettings),
        .target(
            name: "ReplyIntentService",
            dependencies: [
                "Blocking", "RPC", "Messages", "Classifier", "ModelCache", "Replies", "Policy", "Alerts", "Tenancy", "TenantStore",
                "JSONText", "AppendLog",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // The server as a library: configuration, wiring, reload triggers. intentd and the tests use it.
        .target(
            name: "ReplyIntentServer",
            dependencies: [
                "GRPCTransport", "RPC", "ReplyIntentService", "InteropService", "ModelCache", "Replies", "Policy",
                "Tenancy", "TenantStore", "Alerts", "Posix", "TLS", "Yams", "YAMLSupport", "JSONText", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        // Layer 4: executables (composition roots).
        .executableTarget(
            name: "intentd",
            dependencies: [
                "GRPCTransport", "RPC", "InteropService", "ReplyIntentServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "intentctl",
            dependencies: [
                "GRPCTransport", "RPC", "Messages", "Classifier", "GZip", "Posix", "JSONText", "Tenancy", "Crypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),

        .testTarget(name: "BlockingTests", dependencies: ["Blocking"], swiftSettings: swiftSettings),
        .testTarget(name: "RPCTests", dependencies: ["RPC", "Blocking"], swiftSettings: swiftSettings),
        .testTarget(name: "ClassifierTests", dependencies: ["Classifier"], swiftSettings: swiftSettings),
        .testTarget(name: "MessagesTests", dependencies: ["Messages"], swiftSettings: swiftSettings),
        .testTarget(name: "InteropServiceTests", dependencies: ["InteropService", "Messages", "RPC"], swiftSettings: swiftSettings),
        .testTarget(name: "HTTP2Tests", dependencies: ["HTTP2"], swiftSettings: swiftSettings),
        // Our client against our server over loopback sockets (h2c and TLS), and the CLI's interop cases.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "GRPCTransport", "RPC", "HTTP2", "TLS", "Crypto", "Posix", "Messages", "InteropService", "intentctl", "Tenancy",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        // Wrappers and gRPC codec tests.
        .testTarget(name: "GZipTests", dependencies: ["GZip"], swiftSettings: swiftSettings),
        .testTarget(name: "JSONTextTests", dependencies: ["JSONText"], swiftSettings: swiftSettings),
        .testTarget(name: "YAMLSupportTests", dependencies: ["YAMLSupport", "Yams"], swiftSettings: swiftSettings),
        .testTarget(name: "TenancyTests", dependencies: ["Tenancy", "Crypto", "Posix"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TenantStoreTests",
            dependencies: [
                "TenantStore", "Tenancy", "ModelCache", "Policy", "Replies", "Classifier", "Posix", "Crypto", "Blocking",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "Classifier", "Replies"], swiftSettings: swiftSettings),
        .testTarget(name: "RepliesTests", dependencies: ["Replies"], swiftSettings: swiftSettings),
        .testTarget(name: "AlertsTests", dependencies: ["Alerts"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ModelCacheTests",
            dependencies: [
                "ModelCache", "Blocking", "TenantStore", "Tenancy", "Classifier", "Posix",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // The ReplyIntent service end to end: a real server over loopback sockets, our client.
        .testTarget(
            name: "ReplyIntentServiceTests",
            dependencies: [
                "ReplyIntentServer", "ReplyIntentService", "GRPCTransport", "RPC", "Messages", "Classifier",
                "ModelCache", "Replies", "Policy", "Tenancy", "TenantStore", "Alerts", "Posix", "Crypto", "Blocking",
                .product(name: "Logging", package: "swift-log"),  // service: log-capture tests
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "PosixTests", dependencies: ["Posix"], swiftSettings: swiftSettings),
        .testTarget(name: "AppendLogTests", dependencies: ["AppendLog", "Posix"], swiftSettings: swiftSettings),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"], swiftSettings: swiftSettings),
        .testTarget(name: "TLSTests", dependencies: ["TLS"], swiftSettings: swiftSettings),
        .testTarget(
            name: "GRPCTransportTests", dependencies: ["GRPCTransport", "RPC", "HTTP2", "GZip", "Posix", "TLS"],  // Posix: the raw test clients; TLS: the pump tests
            swiftSettings: swiftSettings),
    ]
)

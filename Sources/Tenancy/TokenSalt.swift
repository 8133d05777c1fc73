internal import Crypto

/// The tokens file's salt (`salt:` at its top): 32 random bytes, the HMAC-SHA256 key of every
/// `hmac_sha256` entry. It is not a secret on its own (it sits next to the codes it keys), but
/// it makes every deployment's codes different, so a table of precomputed digests of likely
/// tokens is of no use against the file.
public struct TokenSalt: Sendable, Equatable, CustomStringConvertible {
    /// The number of bytes in a salt.
    public static let byteCount = 32

    public let bytes: [UInt8]

    /// nil unless `hex` is 64 hex digits (either case).
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == Self.byteCount * 2, let bytes = Hex.bytes(hex) else { return nil }
        self.bytes = bytes
    }

    /// A fresh salt from OpenSSL's random generator (throws `CryptoError` if that fails).
    public static func random() throws -> TokenSalt {
        TokenSalt(bytes: try SecureRandom.bytes(byteCount))
    }

    /// 64 lower-case hex digits, as the file holds it.
    public var hex: String { SHA256.hex(bytes) }

    public var description: String { hex }

    /// The `hmac_sha256` value of `token` under this salt: HMAC-SHA256(key: the salt's bytes,
    /// message: the token's UTF-8 bytes), 64 lower-case hex digits.
    public func digest(of token: some StringProtocol) -> String {
        SHA256.hex(HMACSHA256.mac(key: bytes, message: Array(token.utf8)))
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }
}

internal import Messages
internal import RPC

/// Turning request bytes and fields into values, or into the status the client should get.
enum RequestChecks {
    /// Decodes a request message; bytes that are not one fail the call with `INVALID_ARGUMENT`.
    static func decode<Message: ProtobufMessage>(_ type: Message.Type, _ bytes: [UInt8]) throws(RPCError) -> Message {
        do {
            return try Message(serializedBytes: bytes)
        } catch {
            throw RPCError(.invalidArgument, "request is not a valid \(Message.protoName): \(error)")
        }
    }

    /// The one request of a server-streaming call.
    static func single<Message: ProtobufMessage>(_ type: Message.Type, from requests: RequestStream) async throws
        -> Message
    {
        var iterator = requests.makeAsyncIterator()
        guard let message = try await iterator.next() else {
            throw RPCError(.invalidArgument, "expected one \(Message.protoName) request, the client sent none")
        }
        return try decode(type, message.bytes)
    }

    /// The CompressedRequest feature: `expect_compressed` must match the message's compressed flag.
    static func checkCompression(expected: BoolValue?, wasCompressed: Bool) throws(RPCError) {
        guard let expected, expected.value != wasCompressed else { return }
        throw expected.value
            ? RPCError(.invalidArgument, "Expected compressed request: the message arrived without the compressed flag")
            : RPCError(.invalidArgument, "Expected uncompressed request: the message arrived compressed")
    }

    /// Checks that the client asked for a payload this server can make: COMPRESSABLE, with a
    /// size from 0 to ``TestService/maxResponsePayloadSize``.
    static func checkPayloadRequest(type: PayloadType, size: Int32) throws(RPCError) {
        guard type == .compressable else {
            throw RPCError(.invalidArgument, "unsupported response_type \(type): this server only makes COMPRESSABLE payloads")
        }
        guard size >= 0 else {
            throw RPCError(.invalidArgument, "response size \(size) is negative")
        }
        guard size <= TestService.maxResponsePayloadSize else {
            throw RPCError(
                .invalidArgument,
                "response size \(size) exceeds this server's limit of \(TestService.maxResponsePayloadSize) bytes")
        }
    }
}

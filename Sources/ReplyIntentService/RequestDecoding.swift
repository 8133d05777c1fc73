internal import Messages
internal import RPC

enum RequestDecoding {
    /// Decodes a request. Bytes that are not one are `INVALID_ARGUMENT` ("request is not a valid
    /// replyintent.v1.ClassifyIntentRequest: ..."); a string field that is not UTF-8 (or holds
    /// a NUL) is `INVALID_ARGUMENT` naming the field.
    static func decode<Message: ProtobufMessage>(_ type: Message.Type, _ bytes: [UInt8]) throws(RPCError) -> Message {
        do {
            return try Message(serializedBytes: bytes)
        } catch {
            throw rpcError(error, decoding: Message.protoName)
        }
    }

    static func rpcError(_ error: MessageCodingError, decoding protoName: String) -> RPCError {
        if let field = error.refusedStringField {
            return RPCError(.invalidArgument, refusedStringMessage(field: field, error))
        }
        return RPCError(.invalidArgument, "request is not a valid \(protoName): \(error)")
    }

    /// "invalid message.text: cannot decode ...: string field message.text is not valid UTF-8".
    static func refusedStringMessage(field: String, _ error: MessageCodingError) -> String {
        "invalid \(field): \(error)"
    }
}

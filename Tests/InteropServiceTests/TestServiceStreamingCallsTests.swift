import InteropService
import Messages
import RPC
import Testing

@Suite struct TestServiceStreamingCallsTests {
    let harness = Harness()
    static let service = "/grpc.testing.TestService/"

    static func message(_ message: some ProtobufMessage, compressed: Bool = false) -> ReceivedMessage {
        ReceivedMessage(bytes: message.serializedBytes(), wasCompressed: compressed)
    }

    static func payloadSizes(_ writer: RecordingWriter) throws -> [Int] {
        try writer.messages.map { try StreamingOutputCallResponse(serializedBytes: $0.bytes).payload?.body.count ?? -1 }
    }

    // MARK: StreamingOutputCall

    @Test func serverStreamingSendsOneResponsePerParameter() async throws {
        let request = StreamingOutputCallRequest(responseParameters: [31415, 9, 2653, 58979].map { ResponseParameters(size: $0) })
        let (trailers, writer) = try await harness.callStreaming(Self.service + "StreamingOutputCall", [Self.message(request)])
        #expect(try Self.payloadSizes(writer) == [31415, 9, 2653, 58979])
        #expect(writer.messages.allSatisfy { !$0.compressed })
        #expect(trailers.isEmpty)
    }

    @Test func serverCompressedStreamingCompressesPerMessage() async throws {
        let request = StreamingOutputCallRequest(responseParameters: [
            ResponseParameters(size: 31415, compressed: true), ResponseParameters(size: 92653, compressed: false),
        ])
        let (_, writer) = try await harness.callStreaming(Self.service + "StreamingOutputCall", [Self.message(request)])
        #expect(writer.messages.map(\.compressed) == [true, false])
        #expect(try Self.payloadSizes(writer) == [31415, 92653])
    }

    @Test func serverStreamingEchoesStatusAfterTheResponses() async throws {
        let request = StreamingOutputCallRequest(
            responseParameters: [ResponseParameters(size: 1)], responseStatus: EchoStatus(code: 9, message: "no"))
        let (source, writer, task) = try harness.start(Self.service + "StreamingOutputCall")
        source.yield(Self.message(request))
        source.finish()
        let error = await expectRPCError(.failedPrecondition) { _ = try await task.value }
        #expect(error?.message == "no")
        #expect(writer.messages.count == 1)
    }

    @Test func serverStreamingRejectsABadParameterBeforeSendingAnything() async throws {
        let request = StreamingOutputCallRequest(responseParameters: [ResponseParameters(size: 1), ResponseParameters(size: -5)])
        await expectRPCError(.invalidArgument) {
            _ = try await harness.callStreaming(Self.service + "StreamingOutputCall", [Self.message(request)])
        }
    }

    @Test func serverStreamingWithoutARequestIsInvalidArgument() async {
        await expectRPCError(.invalidArgument) {
            _ = try await harness.callStreaming(Self.service + "StreamingOutputCall", [])
        }
    }

    @Test func intervalIsSleptBeforeEachResponse() async throws {
        // The second response waits 60 s: cancelling after the first must leave exactly one sent.
        let request = StreamingOutputCallRequest(responseParameters: [
            ResponseParameters(size: 1), ResponseParameters(size: 2, intervalUs: 60_000_000),
        ])
        let (source, writer, task) = try harness.start(Self.service + "StreamingOutputCall")
        source.yield(Self.message(request))
        source.finish()
        var events = writer.events.makeAsyncIterator()
        _ = await events.next()
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(try Self.payloadSizes(writer) == [1])
    }

    // MARK: StreamingInputCall

    @Test func clientStreamingSumsPayloadSizes() async throws {
        let requests = [27182, 8, 1828, 45904].map { Self.message(StreamingInputCallRequest(payload: .zeros($0))) }
        let (_, writer) = try await harness.callStreaming(Self.service + "StreamingInputCall", requests)
        #expect(writer.messages.count == 1)
        let response = try StreamingInputCallResponse(serializedBytes: writer.messages[0].bytes)
        #expect(response.aggregatedPayloadSize == 74922)
    }

    @Test func clientCompressedStreamingChecksEachMessage() async throws {
        let compressed = Self.message(StreamingInputCallRequest(payload: .zeros(27182), expectCompressed: true), compressed: true)
        let plain = Self.message(StreamingInputCallRequest(payload: .zeros(45904), expectCompressed: false))
        let (_, writer) = try await harness.callStreaming(Self.service + "StreamingInputCall", [compressed, plain])
        #expect(try StreamingInputCallResponse(serializedBytes: writer.messages[0].bytes).aggregatedPayloadSize == 73086)

        let probe = Self.message(StreamingInputCallRequest(payload: .zeros(27182), expectCompressed: true))
        await expectRPCError(.invalidArgument) {
            _ = try await harness.callStreaming(Self.service + "StreamingInputCall", [probe])
        }
    }

    @Test func clientStreamingWithNoMessagesSumsToZero() async throws {
        let (_, writer) = try await harness.callStreaming(Self.service + "StreamingInputCall", [])
        #expect(try StreamingInputCallResponse(serializedBytes: writer.messages[0].bytes).aggregatedPayloadSize == 0)
    }

    @Test func clientStreamingRejectsGarbage() async {
        await expectRPCError(.invalidArgument) {
            _ = try await harness.callStreaming(Self.service + "StreamingInputCall", [ReceivedMessage(bytes: [0xff])])
        }
    }

    // MARK: FullDuplexCall

    @Test func pingPongAnswersEachRequestAsItArrives() async throws {
        let (source, writer, task) = try harness.start(Self.service + "FullDuplexCall")
        var events = writer.events.makeAsyncIterator()
        for (requestSize, responseSize) in [(27182, 31415), (8, 9), (1828, 2653), (45904, 58979)] {
            let request = StreamingOutputCallRequest(
                responseParameters: [ResponseParameters(size: Int32(responseSize))], payload: .zeros(requestSize))
            source.yield(Self.message(request))
            guard case .message(let bytes, compressed: false) = await events.next() else {
                Issue.record("expected a response message")
                return
            }
            #expect(try StreamingOutputCallResponse(serializedBytes: bytes).payload?.body.count == responseSize)
        }
        source.finish()
        #expect(try await task.value.isEmpty)
        #expect(writer.messages.count == 4)
    }

    @Test func emptyStreamSucceedsWithNoResponses() async throws {
        let (trailers, writer) = try await harness.callStreaming(Self.service + "FullDuplexCall", [])
        #expect(writer.all.isEmpty)
        #expect(trailers.isEmpty)
    }

    @Test func fullDuplexEchoesMetadata() async throws {
        var metadata = Metadata()
        metadata.add("x-grpc-test-echo-initial", "test_initial_metadata_value")
        metadata.add("x-grpc-test-echo-trailing-bin", binary: [0xab, 0xab, 0xab])
        let request = StreamingOutputCallRequest(responseParameters: [ResponseParameters(size: 314159)], payload: .zeros(271828))
        let (trailers, writer) = try await harness.callStreaming(
            Self.service + "FullDuplexCall", [Self.message(request)], metadata: metadata)
        guard case .initialMetadata(let initial) = writer.all.first else {
            Issue.record("initial metadata must go out first")
            return
        }
        #expect(initial.first("x-grpc-test-echo-initial") == "test_initial_metadata_value")
        #expect(trailers.firstBinary("x-grpc-test-echo-trailing-bin") == [0xab, 0xab, 0xab])
        #expect(try Self.payloadSizes(writer) == [314159])
    }

    @Test func fullDuplexEchoStatusStopsTheCall() async throws {
        let failing = StreamingOutputCallRequest(
            responseParameters: [ResponseParameters(size: 5)], responseStatus: EchoStatus(code: 2, message: "test status message"))
        let later = StreamingOutputCallRequest(responseParameters: [ResponseParameters(size: 7)])
        var metadata = Metadata()
        metadata.add("x-grpc-test-echo-trailing-bin", binary: [1])
        let error = await expectRPCError(.unknown) {
            _ = try await harness.callStreaming(
                Self.service + "FullDuplexCall", [Self.message(failing), Self.message(later)], metadata: metadata)
        }
        #expect(error?.message == "test status message")
        #expect(error?.metadata.firstBinary("x-grpc-test-echo-trailing-bin") == [1])
    }

    @Test func cancelAfterFirstResponseEndsTheHandler() async throws {
        let (source, writer, task) = try harness.start(Self.service + "FullDuplexCall")
        source.yield(Self.message(StreamingOutputCallRequest(responseParameters: [ResponseParameters(size: 31415)])))
        var events = writer.events.makeAsyncIterator()
        _ = await events.next()
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }

    // MARK: HalfDuplexCall

    @Test func halfDuplexWaitsForHalfCloseThenAnswersInOrder() async throws {
        let (source, writer, task) = try harness.start(Self.service + "HalfDuplexCall")
        source.yield(Self.message(StreamingOutputCallRequest(responseParameters: [ResponseParameters(size: 3)])))
        source.yield(Self.message(StreamingOutputCallRequest(responseParameters: [ResponseParameters(size: 4), ResponseParameters(size: 5)])))
        // Nothing may be sent before half-close: the handler is still reading.
        await Task.yield()
        #expect(writer.all.isEmpty)
        source.finish()
        _ = try await task.value
        #expect(try Self.payloadSizes(writer) == [3, 4, 5])
    }

    @Test func halfDuplexBoundsWhatItBuffers() async {
        let big = Self.message(StreamingOutputCallRequest(payload: .zeros(16 << 20)))
        let error = await expectRPCError(.resourceExhausted) {
            _ = try await harness.callStreaming(Self.service + "HalfDuplexCall", Array(repeating: big, count: 5))
        }
        #expect(error?.message.contains("half-close") == true)
    }

    @Test func halfDuplexRejectsGarbage() async {
        await expectRPCError(.invalidArgument) {
            _ = try await harness.callStreaming(Self.service + "HalfDuplexCall", [ReceivedMessage(bytes: [0x0a, 0x05])])
        }
    }
}

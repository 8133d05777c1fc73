import Messages
import Testing

@Suite struct HealthMessagesTests {
    @Test func checkRequestMatchesHandEncodedBytes() throws {
        // field 1, wire type 2 (0x0a), length 24, "grpc.testing.TestService".
        let golden: [UInt8] = [0x0a, 24] + Array("grpc.testing.TestService".utf8)
        let request = HealthCheckRequest(service: "grpc.testing.TestService")
        #expect(request.serializedBytes() == golden)
        #expect(try HealthCheckRequest(serializedBytes: golden) == request)
        #expect(HealthCheckRequest().serializedBytes() == [])
        #expect(try HealthCheckRequest(serializedBytes: []).service == "")
    }

    @Test(arguments: [
        (HealthCheckResponse.ServingStatus.unknown, [UInt8]()),
        (.serving, [0x08, 0x01]),
        (.notServing, [0x08, 0x02]),
        (.serviceUnknown, [0x08, 0x03]),
    ])
    func responseStatusEncodings(status: HealthCheckResponse.ServingStatus, golden: [UInt8]) throws {
        #expect(HealthCheckResponse(status: status).serializedBytes() == golden)
        #expect(try HealthCheckResponse(serializedBytes: golden).status == status)
    }

    @Test func statusNames() {
        #expect(HealthCheckResponse.ServingStatus.notServing.description == "NOT_SERVING")
        #expect(HealthCheckResponse.ServingStatus(rawValue: 9).description == "ServingStatus(9)")
    }
}

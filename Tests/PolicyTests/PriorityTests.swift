import Testing
import Policy

@Suite struct PriorityTests {
    @Test func rawValuesMatchTheProto() {
        #expect(Priority.allCases.map(\.rawValue) == [1, 2, 3, 4])
    }

    @Test func ordersByUrgency() {
        #expect(Priority.low < .normal)
        #expect(Priority.normal < .high)
        #expect(Priority.high < .urgent)
        #expect(Priority.allCases.max() == .urgent)
    }

    @Test func namesRoundTrip() {
        for priority in Priority.allCases {
            #expect(Priority(name: priority.name) == priority)
            #expect(priority.description == priority.name)
        }
        #expect(Priority(name: "HIGH") == nil)
        #expect(Priority(name: "critical") == nil)
    }
}

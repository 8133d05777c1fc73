import Dispatch
import Messages
import ReplyIntentService
import Synchronization
import Testing

/// Unary handlers run inline on several event-loop threads at once: each borrows its own
/// scratch, so concurrent answers equal serial ones.
@Suite struct HandlerConcurrencyTests {
    @Test func concurrentCallsAnswerLikeSerialOnes() throws {
        let harness = try ServiceFixture.get().harness()
        let texts = [
            "where is my order?", "I want my money back, this is a scam", "hola, ¿tienen talla M?",
            "Merci beaucoup !", "my package arrived damaged", "can I change the delivery address?",
            "ส่งของเมื่อไหร่ครับ", "注文をキャンセルしたいです",
        ]
        let serial = try texts.map { try harness.classify($0, token: ServiceFixture.otherToken) }
        let mismatches = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<25 {
                let index = (worker + round) % texts.count
                do {
                    let answer = try harness.classify(texts[index], token: ServiceFixture.otherToken)
                    if answer != serial[index] { mismatches.add(1, ordering: .relaxed) }
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }
}

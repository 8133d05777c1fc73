// The messages benchmark (Tools/bench-messages.sh builds it against a copy of Sources/Messages):
// encode and decode of the hot-path messages (and the interop ones of the transport benchmark), N times each, best of ROUNDS, in ns per call.
// Uses only Messages' public API, so the same file measures any version of the module.
import Messages

#if canImport(Glibc)
import Glibc
#endif

/// This thread's CPU time: on a shared machine it leaves out the time other processes ran.
func nanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

let arguments = CommandLine.arguments
let count = arguments.count > 1 ? Int(arguments[1])! : 200_000
let rounds = arguments.count > 2 ? Int(arguments[2])! : 5
/// Only the messages whose name starts with this (all by default).
let only = arguments.count > 3 ? arguments[3] : ""

let buyer = BuyerMessage(
    messageID: "m-48213", conversationID: "conv-7731", buyerID: "b-991", platform: .shopee,
    text: "Hola, ¿dónde está mi pedido? Lo pagué hace una semana y todavía no llega.", languageHint: "es",
    sentAtUnixMs: 1_763_690_000_123)
let classification = Classification(
    messageID: "m-48213", conversationID: "conv-7731", intent: "order_status", confidence: 0.91,
    rankedIntents: [
        IntentScore(intent: "order_status", confidence: 0.91), IntentScore(intent: "shipping_delay", confidence: 0.05),
        IntentScore(intent: "refund_request", confidence: 0.02),
    ],
    language: DetectedLanguage(code: "es", confidence: 0.97), toneScore: 0.31, priority: .normal,
    priorityReasons: ["intent order_status is normal"],
    model: ModelRef(tenant: "acme", name: "support-v2", version: "2026.11.20+9f3a02c1"))
let suggest = SuggestReplyResponse(
    classification: classification, replyText: "Hola Ana, tu pedido A-1 llega el jueves.", replyLanguage: "es",
    replyLanguageSource: .buyer, templateID: "acme/es/order_status", missingVariables: [], decision: .suggest,
    decisionReasons: ["confidence 0.91 is below the threshold 0.95"])

/// One benchmark case: a message, its name.
struct Case {
    let name: String
    let encode: () -> Int
    let decode: () -> Int
}

func makeCase<M: ProtobufMessage>(_ name: String, _ message: M) -> Case {
    let bytes = message.serializedBytes()
    return Case(
        name: name, encode: { message.serializedBytes().count },
        decode: { (try? M(serializedBytes: bytes)) == nil ? 0 : 1 })
}

let cases = [
    makeCase("ClassifyIntentRequest", ClassifyIntentRequest(message: buyer, topK: 3)),
    makeCase("ClassifyIntentResponse", ClassifyIntentResponse(classification: classification)),
    makeCase("SuggestReplyResponse", suggest),
    makeCase("StreamConversationsRequest", StreamConversationsRequest(kind: .message(buyer))),
    makeCase("StreamConversationsResponse", StreamConversationsResponse(kind: .classification(classification))),
    // The interop messages of Tools/bench-transport.sh's unary128 workload.
    makeCase("SimpleRequest", SimpleRequest(responseSize: 128, payload: .zeros(128))),
    makeCase("SimpleResponse", SimpleResponse(payload: .zeros(128))),
]

/// The best of `rounds` timings of `count` calls, in ns per call.
func measure(_ body: () -> Int) -> Double {
    var best = Double.infinity
    var sink = 0
    for _ in 0..<rounds {
        let start = nanoseconds()
        for _ in 0..<count { sink &+= body() }
        best = min(best, Double(nanoseconds() - start) / Double(count))
    }
    precondition(sink != 0)
    return best
}

print("message,encode_ns,decode_ns")
for benchmark in cases where benchmark.name.hasPrefix(only) {
    let encode = measure(benchmark.encode)
    let decode = measure(benchmark.decode)
    print("\(benchmark.name),\(Int(encode.rounded())),\(Int(decode.rounded()))")
}

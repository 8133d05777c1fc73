/// An Aho–Corasick automaton over Unicode scalar values: finds every occurrence of every pattern
/// in one left-to-right pass. Immutable after construction (flat arrays, shared between threads).
///
/// Layout: node `n`'s children are `edgeScalars/edgeTargets[childStart[n] ..< childStart[n + 1]]`,
/// sorted by scalar (binary search); `failure[n]` is the longest proper suffix state; the pattern
/// ids ending at `n` (its own plus those of its failure chain, merged at build time) are
/// `outputs[outputStart[n] ..< outputStart[n + 1]]`.
struct AhoCorasick: Sendable {
    private let childStart: [Int32]
    private let edgeScalars: [UInt32]
    private let edgeTargets: [Int32]
    private let failure: [Int32]
    private let outputStart: [Int32]
    private let outputs: [Int32]
    /// Length in scalars of each pattern.
    let patternLengths: [Int32]
    /// The root's transitions for scalars below `rootTableSize`, indexed directly (-1 = none):
    /// most steps of a scan fall back to the root, where a binary search over every first
    /// scalar would be the slowest lookup.
    private let rootTable: [Int32]
    static let rootTableSize = 0x3100

    var nodeCount: Int { failure.count }

    init(patterns: [[UInt32]]) {
        // 1. Trie with dictionary children (build only).
        var children: [[UInt32: Int32]] = [[:]]
        var own: [[Int32]] = [[]]
        for (id, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var node = 0
            for scalar in pattern {
                if let next = children[node][scalar] {
                    node = Int(next)
                } else {
                    let next = Int32(children.count)
                    children[node][scalar] = next
                    children.append([:])
                    own.append([])
                    node = Int(next)
                }
            }
            own[node].append(Int32(id))
        }
        // 2. Breadth-first failure links; outputs merged along the failure chain.
        let count = children.count
        var fail = [Int32](repeating: 0, count: count)
        var merged = own
        var queue: [Int32] = []
        queue.reserveCapacity(count)
        for (_, child) in children[0] { queue.append(child) }
        var head = 0
        while head < queue.count {
            let node = Int(queue[head])
            head += 1
            for (scalar, child) in children[node] {
                var state = Int(fail[node])
                var target: Int32 = 0
                while true {
                    if let next = children[state][scalar], Int(next) != Int(child) { target = next; break }
                    if state == 0 { break }
                    state = Int(fail[state])
                }
                fail[Int(child)] = target
                merged[Int(child)].append(contentsOf: merged[Int(target)])
                queue.append(child)
            }
        }
        // 3. Flatten.
        var childStart: [Int32] = []
        var edgeScalars: [UInt32] = []
        var edgeTargets: [Int32] = []
        var outputStart: [Int32] = []
        var outputs: [Int32] = []
        childStart.reserveCapacity(count + 1)
        outputStart.reserveCapacity(count + 1)
        for node in 0..<count {
            childStart.append(Int32(edgeScalars.count))
            for (scalar, child) in children[node].sorted(by: { $0.key < $1.key }) {
                edgeScalars.append(scalar)
                edgeTargets.append(child)
            }
            outputStart.append(Int32(outputs.count))
            outputs.append(contentsOf: merged[node])
        }
        childStart.append(Int32(edgeScalars.count))
        outputStart.append(Int32(outputs.count))
        self.childStart = childStart
        self.edgeScalars = edgeScalars
        self.edgeTargets = edgeTargets
        self.failure = fail
        self.outputStart = outputStart
        self.outputs = outputs
        self.patternLengths = patterns.map { Int32($0.count) }
        var rootTable = [Int32](repeating: -1, count: Self.rootTableSize)
        for edge in Int(childStart[0])..<Int(childStart[1]) where edgeScalars[edge] < UInt32(Self.rootTableSize) {
            rootTable[Int(edgeScalars[edge])] = edgeTargets[edge]
        }
        self.rootTable = rootTable
    }

    /// The child of `node` on `scalar`, or -1.
    @inline(__always)
    private func child(_ node: Int, _ scalar: UInt32) -> Int {
        if node == 0 && scalar < UInt32(Self.rootTableSize) { return Int(rootTable[Int(scalar)]) }
        var low = Int(childStart[node]), high = Int(childStart[node + 1])
        while low < high {
            let mid = (low + high) >> 1
            let value = edgeScalars[mid]
            if value == scalar { return Int(edgeTargets[mid]) }
            if value < scalar { low = mid + 1 } else { high = mid }
        }
        return -1
    }

    /// The state after reading `scalar` in state `node`.
    @inline(__always)
    func step(_ node: Int, _ scalar: UInt32) -> Int {
        var state = node
        while true {
            let next = child(state, scalar)
            if next >= 0 { return next }
            if state == 0 { return 0 }
            state = Int(failure[state])
        }
    }

    /// Calls `body(patternID, endIndex)` for every occurrence (endIndex exclusive), in order of
    /// end position.
    @inline(__always)
    func forEachMatch(in scalars: [UInt32], _ body: (Int, Int) -> Void) {
        var state = 0
        for index in 0..<scalars.count {
            state = step(state, scalars[index])
            let start = Int(outputStart[state]), end = Int(outputStart[state + 1])
            if start < end {
                for k in start..<end { body(Int(outputs[k]), index + 1) }
            }
        }
    }
}

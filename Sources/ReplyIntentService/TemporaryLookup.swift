// TEMPORARY until the ModelCache lookup lands (removed in the merge).
internal import ModelCache
enum ModelLookup { case ready(ModelSnapshot), mustLoad, absent }
extension ModelCache {
    func lookup(tenant: String, name: String) -> ModelLookup {
        snapshot(tenant: tenant, name: name).map { .ready($0) } ?? .absent
    }
    func snapshot(tenant: String, name: String) async -> ModelSnapshot? { lookupBlocking(tenant, name) }
    private func lookupBlocking(_ t: String, _ n: String) -> ModelSnapshot? { snapshot(tenant: t, name: n) }
}

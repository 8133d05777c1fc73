/// What ``ModelCache/lookup(tenant:name:)`` found, without loading or waiting for anything.
public enum ModelLookup: Sendable {
    /// The model to serve with: the tenant's own, or the shared model of that name.
    case ready(ModelSnapshot)
    /// The tenant's own model exists but is not in memory now (evicted, or being loaded): the
    /// caller must leave its event loop and call the blocking ``ModelCache/snapshot(tenant:name:permit:)``
    /// (or, from a task, the `async` one, or the callback one) to have it loaded.
    case mustLoad
    /// The tenant has no such model that loaded, and there is no shared model of that name.
    case absent
}

/// Where models live and how much of them to keep in memory.
public struct ModelCacheConfiguration: Sendable {
    /// The shared default model (config `default_model`); it must load, and is never evicted.
    public var defaultModelPath: String
    /// Opens a tenant's models directory again, to load a model evicted from memory (the tenant
    /// store's layout; nil: tenant models are never loaded again after eviction).
    public var openTenantModels: (@Sendable (String) -> ModelsDirectoryAccess)?
    /// Independent locks over the key space (each guards a small dictionary).
    public var shardCount: Int
    /// Loaded models' file sizes add up to at most this (the shared default and the model just
    /// loaded excepted): least recently used models are evicted to make room.
    public var memoryBudgetBytes: Int
    /// Scored by every new file before it may serve.
    public var probeText: String
    /// The largest model file that is read (config `models.max_file_size_mb`): a larger one is
    /// refused after `fstat` and before any byte of it is read; its status says both sizes.
    public var maxFileBytes: Int

    public init(
        defaultModelPath: String, openTenantModels: (@Sendable (String) -> ModelsDirectoryAccess)? = nil,
        shardCount: Int = 16, memoryBudgetBytes: Int = 4 << 30, probeText: String = "where is my order?",
        maxFileBytes: Int = 256 << 20
    ) {
        self.defaultModelPath = defaultModelPath
        self.openTenantModels = openTenantModels
        self.shardCount = shardCount
        self.memoryBudgetBytes = memoryBudgetBytes
        self.probeText = probeText
        self.maxFileBytes = maxFileBytes
    }
}

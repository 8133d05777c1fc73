import Tenancy
import TenantStore

/// The store and coordinator as the tenant-file tests read them: a tenant's snapshot, the
/// problems, a reload (the ReloadModels trigger).
struct TenantView {
    let coordinator: ReloadCoordinator
    init(_ coordinator: ReloadCoordinator) { self.coordinator = coordinator }

    var defaultConfig: TenantSnapshot { coordinator.store.defaultSnapshot }
    func config(for tenant: TenantID) -> TenantSnapshot { coordinator.store.snapshot(for: tenant) }
    func problems() -> [TenantConfigProblem] { coordinator.store.problems() }
    @discardableResult func reload() -> [String] { coordinator.reload(.adminRequest) }
}

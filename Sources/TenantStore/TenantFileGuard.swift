internal import Foundation

/// Checks a tenant's configuration file before it is read: it must be a regular file of at most
/// ``maxBytes``, and — symbolic links resolved — inside the tenant's own directory. Links that stay
/// inside (a mounted ConfigMap's `..data` swap) are fine; a link to `/etc/shadow` or to another
/// tenant's files is refused, and its target's size is never reported.
enum TenantFileGuard {
    /// Policies and template files are a few KiB; anything much bigger is a mistake or an attack.
    static let maxBytes = 1 << 20

    static func check(_ path: String, tenantDirectory: String) throws(TenantFileError) {
        let root = resolved(tenantDirectory)
        let target = resolved(path)
        guard target == root || target.hasPrefix(root + "/") else {
            throw TenantFileError(
                file: path,
                problem: "resolves outside the tenant's directory (\(root)): tenant files must stay inside it")
        }
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: target)
        } catch {
            throw TenantFileError(file: path, problem: "cannot be read: \(error.localizedDescription)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw TenantFileError(file: path, problem: "is not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maxBytes else {
            throw TenantFileError(
                file: path, problem: "is \(size) bytes; tenant configuration files may be at most \(maxBytes) bytes")
        }
    }

    /// A tenant's directory must resolve inside the tenants directory (a `tenants/acme` that is a
    /// link to `/etc` would make every check above pass for files that are not the tenant's).
    static func checkDirectory(_ tenantDirectory: String, tenantsDirectory: String) throws(TenantFileError) {
        let root = resolved(tenantsDirectory)
        let target = resolved(tenantDirectory)
        guard target.hasPrefix(root + "/") else {
            throw TenantFileError(
                file: tenantDirectory, problem: "resolves outside the tenants directory (\(root)): it must be a directory inside it")
        }
    }

    private static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }
}

/// A tenant file that could not be read or parsed.
struct TenantFileError: Error, CustomStringConvertible {
    let file: String
    let problem: String
    var description: String { "\(file): \(problem)" }
}

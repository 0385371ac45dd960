import CCustodyLinux
import CustodyCore
import Hummingbird
import NIOCore

/// The request context of the admin API: the connection the request came on and, once
/// `AdminResponder` has asked the kernel (`SO_PEERCRED`), the caller with the roles the config
/// gives them. Every middleware and handler after it reads the caller from here, never from the
/// request.
public struct AdminContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The Unix-socket connection, whose peer credentials name the caller.
    public let channel: any Channel
    /// Set by `AdminResponder` before routing; nil only if the kernel could not say (then every
    /// route that needs a role refuses).
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Bodies are read whole up to the API's limit (a CSV import must fit).
    public var maxUploadSize: Int { AdminResponder.maxBodyBytes }
}

/// Who is calling and what they may do, worked out once per request.
public struct Caller: Sendable {
    public var peer: PeerIdentity
    public var roles: Set<StationRole>
}

extension PeerIdentity {
    /// The process on the other end of `channel`, as the kernel reports it (`SO_PEERCRED`).
    static func of(_ channel: any Channel) async throws -> PeerIdentity {
        guard let provider = channel as? SocketOptionProvider else { throw ChannelError.operationUnsupported }
        let cred: custody_ucred = try await provider.unsafeGetSocketOption(
            level: SocketOptionLevel(custody_sol_socket()), name: SocketOptionName(custody_so_peercred())).get()
        return PeerIdentity(uid: cred.uid, gid: cred.gid, pid: cred.pid)
    }
}

import CustodyAPI
import CustodyCore

extension APIHandlers {
    /// `GET /v1/me` (viewer role): the caller as the kernel names it and the roles the config
    /// gives it. The web console shows only the buttons of these roles.
    func caller(_ peer: PeerIdentity) -> CallerItem {
        let held = access.roles(peer)
        return CallerItem(uid: peer.uid, name: peer.userName, roles: StationRole.allCases.filter(held.contains).map(\.rawValue),
                          unit: config.station.unit, timeZone: config.station.resolvedTimeZone.identifier)
    }
}

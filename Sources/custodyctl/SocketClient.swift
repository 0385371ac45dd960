import CustodyAPI
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A failed call, with the message to print and the exit code of the interface contract
/// (1: refused or failed).
struct ClientError: Error, CustomStringConvertible {
    var description: String
}

/// HTTP/1.1 over the daemon's Unix socket: one request per connection.
struct SocketClient {
    let socketPath: String

    typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    /// GETs are idempotent: a connection that drops before the answer is retried twice.
    func get(_ path: String) async throws -> (status: Int, body: Data) {
        var attempt = 0
        while true {
            do {
                return try await send(.GET, path, body: nil, contentType: nil)
            } catch let error as ChannelError where attempt < 2 {
                attempt += 1
                _ = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    func send(_ method: HTTPMethod, _ path: String, body: Data?, contentType: String?) async throws -> (status: Int, body: Data) {
        if StationZone.shouldAsk() {
            // The station's zone first, so that every time printed is station time (item 8).
            let asksStatus = method == .GET && path == "/v1/status"
            if let status = try? await exchange(.GET, "/v1/status", body: nil, contentType: nil), status.status == 200 {
                StationZone.learn(from: status.body)
                if asksStatus { return status }
            }
        }
        return try await exchange(method, path, body: body, contentType: contentType)
    }

    /// One request on one connection.
    private func exchange(_ method: HTTPMethod, _ path: String, body: Data?, contentType: String?) async throws -> (status: Int, body: Data) {
        let channel: Connection
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ClientError(description: L10n.text(
                "cannot reach custodyd at \(socketPath) (\(error)); is the daemon running, and may you use its socket (group)?",
                zh: "无法连接 custodyd（\(socketPath)）：\(error)。请确认守护进程在运行，且您属于可访问该套接字的用户组。"))
        }
        return try await channel.executeThenClose { inbound, outbound in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: "custodyd")
            headers.add(name: "Connection", value: "close")
            if let contentType { headers.add(name: "Content-Type", value: contentType) }
            if L10n.chinese { headers.add(name: "Accept-Language", value: "zh-CN") }
            headers.add(name: "Content-Length", value: String(body?.count ?? 0))
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)))
            if let body, !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var status = 0
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let head): status = Int(head.status.code)
                case .body(var chunk): body.writeBuffer(&chunk)
                case .end: return (status, Data(body.readableBytesView))
                }
            }
            return (status, Data(body.readableBytesView))
        }
    }

    /// GETs and decodes `T`, turning API errors into `ClientError` with the daemon's message.
    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> (T, Data) {
        try decode(try await get(path), path: path, as: T.self)
    }

    /// POSTs a JSON body and decodes the answer.
    func post<T: Decodable>(_ path: String, _ value: some Encodable, as type: T.Type) async throws -> (T, Data) {
        let data = try APICoding.encoder().encode(value)
        return try decode(try await send(.POST, path, body: data, contentType: "application/json"), path: path, as: T.self)
    }

    func decode<T: Decodable>(_ answer: (status: Int, body: Data), path: String, as type: T.Type) throws -> (T, Data) {
        let (status, body) = answer
        guard (200..<300).contains(status) else {
            guard let error = try? APICoding.decoder().decode(ErrorResponse.self, from: body) else {
                throw ClientError(description: String(decoding: body, as: UTF8.self))
            }
            throw ClientError(description: Messages.error(code: error.error, message: error.message))
        }
        do {
            return (try APICoding.decoder().decode(T.self, from: body), body)
        } catch {
            throw ClientError(description: "unexpected answer from custodyd for \(path): \(error)")
        }
    }
}

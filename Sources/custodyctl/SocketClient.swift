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

    /// GETs are idempotent: a connection that drops before the answer is retried twice. A list
    /// asked for without a `limit` is read whole: the daemon answers it a page at a time and links
    /// the next (`Link: <…>; rel="next"`), and the pages are joined into the one array the
    /// interface contract promises.
    func get(_ path: String) async throws -> (status: Int, body: Data) {
        var answer = try await getOnce(path)
        let limited = URLComponents(string: path)?.queryItems?.contains { $0.name == "limit" } ?? false
        guard !limited else { return (answer.status, answer.body) }
        var body = answer.body
        while answer.status == 200, let next = answer.next {
            answer = try await getOnce(next)
            guard answer.status == 200 else { return (answer.status, answer.body) }
            body = Self.joined(body, answer.body)
        }
        return (answer.status, body)
    }

    private func getOnce(_ path: String) async throws -> Answer {
        var attempt = 0
        while true {
            do {
                return try await sendOnce(.GET, path, body: nil, contentType: nil)
            } catch let error as ChannelError where attempt < 2 {
                attempt += 1
                _ = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Two JSON arrays as one, keeping the daemon's formatting of each element. Both pages are
    /// parsed first: anything but two well-formed arrays is answered as the first page alone,
    /// never spliced.
    static func joined(_ first: Data, _ second: Data) -> Data {
        guard let left = try? JSONSerialization.jsonObject(with: first) as? [Any],
              let right = try? JSONSerialization.jsonObject(with: second) as? [Any] else { return first }
        if right.isEmpty { return first }
        if left.isEmpty { return second }
        let a = String(decoding: first, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let b = String(decoding: second, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // Both are arrays, so `a` ends with "]" and `b` starts with "[".
        return Data((a.dropLast().trimmingCharacters(in: .whitespacesAndNewlines) + "," + b.dropFirst() + "\n").utf8)
    }

    func send(_ method: HTTPMethod, _ path: String, body: Data?, contentType: String?) async throws -> (status: Int, body: Data) {
        let answer = try await sendOnce(method, path, body: body, contentType: contentType)
        return (answer.status, answer.body)
    }

    private func sendOnce(_ method: HTTPMethod, _ path: String, body: Data?, contentType: String?) async throws -> Answer {
        if StationZone.shouldAsk() {
            // The station's zone first, so that every time printed is station time (item 8). From
            // `/v1/me`, which reads no catalog (`/v1/status` counts the clips).
            let asksMe = method == .GET && path == "/v1/me"
            if let me = try? await exchange(.GET, "/v1/me", body: nil, contentType: nil), me.status == 200 {
                StationZone.learn(from: me.body)
                if asksMe { return Answer(status: me.status, body: me.body) }
            }
        }
        return try await exchange(method, path, body: body, contentType: contentType)
    }

    /// One answer: status, body, and the next page of a list (from its `Link` header).
    struct Answer {
        var status: Int
        var body: Data
        var next: String? = nil
    }

    /// How long a connect is tried again while the daemon's connection queue is full (EAGAIN: the
    /// daemon is busy, or a local user floods it with connections). Nothing has been sent yet, so
    /// any request may be tried again.
    static let fullQueuePatience: Duration = .seconds(10)

    /// One request on one connection.
    private func exchange(_ method: HTTPMethod, _ path: String, body: Data?, contentType: String?) async throws -> Answer {
        let channel = try await connect()
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
            var answer = Answer(status: 0, body: Data())
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let head):
                    answer.status = Int(head.status.code)
                    answer.next = head.headers["Link"].lazy.compactMap(Self.nextLink).first
                case .body(var chunk): body.writeBuffer(&chunk)
                case .end: break
                }
            }
            answer.body = Data(body.readableBytesView)
            return answer
        }
    }

    /// A connection to the daemon, for every request and `watch`'s event stream; a full connection
    /// queue is waited out for `fullQueuePatience`.
    func connect() async throws -> Connection {
        let deadline = ContinuousClock.now + Self.fullQueuePatience
        while true {
            do {
                return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(unixDomainSocketPath: socketPath) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHTTPClientHandlers()
                            return try Connection(wrappingChannelSynchronously: channel)
                        }
                    }
            } catch let error as IOError where error.errnoCode == EAGAIN {
                guard ContinuousClock.now < deadline else {
                    throw ClientError(description: L10n.text(
                        "custodyd's connection queue at \(socketPath) stayed full for \(Self.fullQueuePatience) (the daemon is busy, or a local user is flooding it with connections); try again, and see its log (journalctl -u custodyd) for refused connections",
                        zh: "custodyd 的连接队列（\(socketPath)）持续 \(Self.fullQueuePatience.components.seconds) 秒已满（守护进程繁忙，或有本机用户大量占用连接）。请稍后重试，并用 journalctl -u custodyd 查看被拒绝的连接。"))
                }
                try await Task.sleep(for: .milliseconds(50))
            } catch {
                throw ClientError(description: L10n.text(
                    "cannot reach custodyd at \(socketPath) (\(error)); is the daemon running, and may you use its socket (group)?",
                    zh: "无法连接 custodyd（\(socketPath)）：\(error)。请确认守护进程在运行，且您属于可访问该套接字的用户组。"))
            }
        }
    }

    /// The target of `<…>; rel="next"`.
    static func nextLink(_ header: String) -> String? {
        guard header.contains("rel=\"next\""), let open = header.firstIndex(of: "<"), let close = header.firstIndex(of: ">"), open < close
        else { return nil }
        return String(header[header.index(after: open)..<close])
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

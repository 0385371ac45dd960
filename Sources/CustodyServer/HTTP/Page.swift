import CustodyCore
import Foundation
import NIOHTTP1

/// The page of a list a request asks for (availability issue, item 5: `GET /v1/audit?limit=-1`
/// answered 33 MB and `/v1/clips` had no default). `RouteAnswer` reads `limit` and `offset` of
/// every request here before any handler runs, so a limit that is not a whole number from 1 to
/// `[limits] page_maximum`, or an offset that is not a whole number from 0, is refused whatever the
/// route. No limit means `[limits] page_default`.
///
/// Every JSON list answer (`APIResponse.json` of an array) is cut to the page while the handler
/// runs under `Page.$current`, and says where the rest is: `X-Total-Count` and, when rows follow,
/// `Link: <path?offset=N>; rel="next"` (RFC 8288). A route that pages in SQL (clips, audit) answers
/// `APIResponse.paged` instead. custodyctl follows the links when the caller asked for no limit,
/// so a command that promises the whole list still prints all of it.
public struct Page: Sendable, Equatable {
    public var limit: Int
    public var offset: Int
    /// The request's path and query, for the link to the next page.
    var path: String
    var query: [String: String]
    /// The furthest a page may start: beyond it the station has no rows, and SQLite would still
    /// step over them one by one.
    static let maximumOffset = 1_000_000_000

    /// The page of the request being answered (set by `RouteAnswer` around the handler).
    @TaskLocal static var current: Page?

    static func parse(path: String, query: [String: String], limits: CustodyConfig.Limits) throws(APIRefusal) -> Page {
        var page = Page(limit: limits.pageDefault, offset: 0, path: path, query: query)
        if let text = query["limit"] {
            guard let value = Int(text), (1...limits.pageMaximum).contains(value) else {
                throw APIRefusal(.badRequest, "bad-limit",
                                 "limit must be a whole number from 1 to \(limits.pageMaximum) (the most one answer holds), not \"\(text)\"; read further pages with offset, or follow the Link header",
                                 zh: "limit 须为 1 到 \(limits.pageMaximum) 之间的整数（一次应答的上限），不能是“\(text)”；用 offset 或应答的 Link 头读取后续各页")
            }
            page.limit = value
        }
        if let text = query["offset"] {
            guard let value = Int(text), (0...maximumOffset).contains(value) else {
                throw APIRefusal(.badRequest, "bad-offset", "offset must be a whole number from 0 to \(maximumOffset), not \"\(text)\"",
                                 zh: "offset 须为 0 到 \(maximumOffset) 之间的整数，不能是“\(text)”")
            }
            page.offset = value
        }
        return page
    }

    /// This page's rows out of all of them.
    func slice<T>(_ items: [T]) -> ArraySlice<T> {
        guard offset < items.count else { return [] }
        return items[offset..<min(items.count, offset + limit)]
    }

    /// `Link` to the page after this one, with `changes` made to the query (`offset`, or `after`
    /// for a list paged by key); the limit is kept as asked (or the default made explicit).
    func nextLink(_ changes: [String: String]) -> String {
        var next = query
        next["limit"] = String(limit)
        next.merge(changes) { $1 }
        var components = URLComponents()
        components.path = path
        components.queryItems = next.keys.sorted().map { URLQueryItem(name: $0, value: next[$0]) }
        return "<\(components.string ?? path)>; rel=\"next\""
    }
}

extension APIResponse {
    /// A list answer: the current page of `items`, with its total and the link to the next page.
    /// Outside a request (no `Page.current`), the whole list.
    static func json<T: Encodable>(_ items: [T], status: HTTPResponseStatus = .ok) -> APIResponse {
        guard let page = Page.current else { return encoded(items, status: status) }
        let rows = page.slice(items)
        var response = encoded(Array(rows), status: status)
        response.headers["X-Total-Count"] = String(items.count)
        if page.offset + rows.count < items.count {
            response.headers["Link"] = page.nextLink(["offset": String(page.offset + rows.count)])
        }
        return response
    }

    /// A list the handler already cut to `Page.current` in SQL: `next` is the query change that
    /// reads the page after it, nil when this was the last.
    static func paged<T: Encodable>(_ rows: [T], next: [String: String]?) -> APIResponse {
        var response = encoded(rows, status: .ok)
        if let next, let page = Page.current { response.headers["Link"] = page.nextLink(next) }
        return response
    }
}

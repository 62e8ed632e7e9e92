// A file's bytes on the wire, for the benchmarks that count what a phone downloads.
import http from "node:http";

/** Asks for `url` in `encoding` (with `cookie`, if given) and answers the status, the bytes
 * that came, the encoding the server chose and the content type. */
export function wireBytes(url, encoding, cookie) {
  return new Promise((resolve, reject) => {
    const headers = { "accept-encoding": encoding };
    if (cookie) headers.cookie = cookie;
    const request = http.get(url, { headers, timeout: 60_000 }, (res) => {
      let bytes = 0;
      res.on("data", (chunk) => { bytes += chunk.length; });
      res.on("end", () => resolve({
        status: res.statusCode,
        bytes,
        encoding: res.headers["content-encoding"] ?? "identity",
        type: res.headers["content-type"] ?? "",
      }));
    });
    request.on("timeout", () => request.destroy(new Error(`${url} sent nothing for a minute`)));
    request.on("error", reject);
  });
}

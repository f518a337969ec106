// Talking to /api/v1 with the session token, and what happens when it expires.
//
// The token lives in sessionStorage: it lasts as long as the tab, is not sent
// with every request like a cookie (so no CSRF), and is gone when the tab is
// closed. A browser kept signed in ("Keep me signed in on this device") also
// holds an HttpOnly device cookie that only POST /auth/refresh receives: when
// the tab has no token or its token expired, refreshSession() gets a new one
// and the call goes out again. See the README ("Staying signed in on a device").

const TOKEN_KEY = "lifelogger.token";
const NOTICE_KEY = "lifelogger.notice";
export const API_BASE = "/api/v1";

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  clearToken(); // a new token may be another person's: forget what the tab kept about the last one
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  for (const key of TAB_DATA_KEYS) sessionStorage.removeItem(key);
}

// --- Working offline: who is signed in, kept for this tab (see queue.js) ---
const ME_KEY = "lifelogger.me";
// The tracker's last answers, to open it offline (pages/tracker.js).
export const TRACKER_SNAPSHOT_KEY = "lifelogger.tracker";
// Keys of what a page keeps for this tab about the signed-in person; dropped with the token.
const TAB_DATA_KEYS = [ME_KEY, TRACKER_SNAPSHOT_KEY];

/** Keep GET /me's answer for this tab, so a page opened offline knows who is signed in. */
export function rememberMe(me) {
  sessionStorage.setItem(ME_KEY, JSON.stringify(me));
}

/** The profile kept by rememberMe, or null. */
export function rememberedMe() {
  try {
    return JSON.parse(sessionStorage.getItem(ME_KEY));
  } catch {
    return null;
  }
}

/** Leave a message for the next page (shown once, e.g. on the login page). */
export function setNotice(text) {
  sessionStorage.setItem(NOTICE_KEY, text);
}

/** The message left by the previous page, removed as it is read. */
export function takeNotice() {
  const text = sessionStorage.getItem(NOTICE_KEY);
  sessionStorage.removeItem(NOTICE_KEY);
  return text;
}

/** An error answer of the API: {code, status, message, errors?}. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The server answered with status ${status}.`);
    this.status = status;
    this.body = body || {};
  }

  /** Field errors from the request body or query: {field: [messages]}. */
  get fieldErrors() {
    const errors = this.body.errors || {};
    return errors.json || errors.query || {};
  }
}

// The login page's redirect check lives in next.js; re-exported for its callers.
export { safeNext } from "./next.js";

/** Send the person to the login page; `why` is shown there. */
export function goToLogin(why) {
  clearToken();
  if (why) setNotice(why);
  const next = location.pathname + location.search;
  location.assign(next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);
}

/**
 * Call the API and return its answer: the JSON (null for 204), or with
 * `as: "file"` a File of the answer's bytes named as its Content-Disposition
 * says (`as: "text"`: its text). `body` is sent as JSON, or as is when it is
 * a FormData (an upload) or a Blob. Error answers throw ApiError with the
 * server's message.
 *
 * A 401 on an authenticated call means the session ended: the token is
 * dropped and the browser goes to the login page, saying why; the returned
 * promise never settles, so no half-finished update runs after it.
 */
export async function api(method, path, { body, query, auth = true, as = "json" } = {}) {
  const options = { body, query, as };
  const answer = auth ? await authorized(method, path, options) : await request(method, path, options);
  if (answer === null) {
    goToLogin(null); // never signed in in this tab, and this browser is not kept signed in
    return new Promise(() => {});
  }
  const { response, data, filename } = answer;
  // A write went through: the drafts of the forms just sent are done with (drafts.js).
  if (response.ok && auth && method !== "GET") window.dispatchEvent(new CustomEvent("lifelogger:written"));
  if (response.status === 204) return null;
  if (response.status === 401 && auth) {
    goToLogin(SESSION_ENDED);
    return new Promise(() => {});
  }
  if (!response.ok) throw new ApiError(response.status, data);
  if (as === "file") return new File([data], filename || "download", { type: data.type });
  return data;
}

const SESSION_ENDED = "Your session has expired or was ended. Log in again to continue.";

/**
 * request() with the tab's session token; when the tab has none, or the
 * answer is 401, a device kept signed in gets a new token (refreshSession)
 * and the request is sent once more with it. Resolves like request(), or
 * with null when there is no token and none could be had.
 */
export async function authorized(method, path, options = {}) {
  let token = getToken() || (await refreshSession());
  if (!token) return null;
  const answer = await request(method, path, { ...options, token });
  if (answer.response.status !== 401) return answer;
  token = await refreshSession(token);
  return token ? request(method, path, { ...options, token }) : answer;
}

let refreshing = null;

/**
 * A new session token from the device cookie (POST /auth/refresh), kept for
 * this tab; null when this browser is not kept signed in, or is kept signed
 * in for someone else than the person this tab was signed in as (whose
 * drafts and taps must not go out under another account). `stale`: the
 * token that just got a 401, so a refresh already done by then is reused.
 */
export async function refreshSession(stale = null) {
  const current = getToken();
  if (current && current !== stale) return current;
  // One refresh at a time in this tab, and across tabs where the browser has Web
  // Locks: the cookie is replaced on each use, and two uses of one cookie would
  // look like a stolen copy to the server, which would sign the device out.
  refreshing ||= (navigator.locks ? navigator.locks.request("lifelogger.refresh", mintToken) : mintToken()).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

// Set when this browser was kept signed in (login.js, signup.js): without it no
// refresh is tried, so a browser never kept signed in does not ask (and log a 401)
// on every page. Not a secret: the credential itself is in the HttpOnly cookie.
const DEVICE_HINT_KEY = "lifelogger.kept-signed-in";

/** Say whether this browser was just kept signed in ("Keep me signed in on this device"). */
export function setKeptSignedIn(kept) {
  try {
    if (kept) localStorage.setItem(DEVICE_HINT_KEY, "1");
    else localStorage.removeItem(DEVICE_HINT_KEY);
  } catch {
    // Storage refused (a private mode): refresh is simply never tried.
  }
}

function keptSignedIn() {
  try {
    return localStorage.getItem(DEVICE_HINT_KEY) === "1";
  } catch {
    return false;
  }
}

async function mintToken() {
  if (!keptSignedIn()) return null;
  let answer;
  try {
    answer = await request("POST", "/auth/refresh");
  } catch {
    return null; // offline: the queue and drafts keep what was done meanwhile
  }
  if (!answer.response.ok || !answer.data || !answer.data.token) {
    if (answer.response.status === 401) setKeptSignedIn(false); // signed out, expired or replaced
    return null;
  }
  const tabUser = rememberedMe();
  if (tabUser && answer.data.username !== tabUser.username) return null;
  if (tabUser) sessionStorage.setItem(TOKEN_KEY, answer.data.token); // the same person: keep what the tab knows
  else setToken(answer.data.token);
  return answer.data.token;
}

/**
 * One request to the API, whatever its answer: {response, data, filename}.
 * api() and the offline queue (which reads every status itself) both send
 * through here.
 *
 * - body: a FormData or Blob is sent as is (the browser writes the multipart
 *   Content-Type with its boundary); anything else as JSON.
 * - query: values that are undefined, null or "" are left out.
 * - as: how a successful answer is read: "json" (the default), "text", or
 *   "file" (data: a Blob); a file that breaks off throws ApiError(0). An error
 *   answer is always read as JSON, the API's one error shape {code, status,
 *   message, errors}; data is null when it is not JSON.
 * - filename: the file name of the answer's Content-Disposition, or null.
 *
 * Throws ApiError(0) when the server cannot be reached.
 */
export async function request(method, path, { body, query, token, headers = {}, as = "json" } = {}) {
  const url = new URL(API_BASE + path, location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  const sent = { ...(as === "json" ? { Accept: "application/json" } : {}), ...headers };
  const raw = body instanceof FormData || body instanceof Blob;
  if (body !== undefined && !raw) sent["Content-Type"] = "application/json";
  if (token) sent.Authorization = `Bearer ${token}`;
  const unreachable = new ApiError(0, { message: "Cannot reach the Life Logger server. Check your connection and try again." });
  if (!navigator.onLine) throw unreachable; // the browser knows it is offline: no request doomed to fail
  let response;
  try {
    const sentBody = body === undefined || raw ? body : JSON.stringify(body);
    response = await fetch(url, { method, headers: sent, body: sentBody });
  } catch {
    throw unreachable;
  }
  let data = null;
  if (response.ok && as !== "json") {
    try {
      data = as === "text" ? await response.text() : await response.blob();
    } catch {
      throw unreachable; // the connection broke off during the file
    }
  } else if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = null; // not JSON: a proxy's error page, say
    }
  }
  return { response, data, filename: attachmentName(response.headers.get("Content-Disposition")) };
}

/** The file name in a Content-Disposition header (filename*=UTF-8'' or filename=), or null. */
export function attachmentName(header) {
  if (!header) return null;
  const encoded = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // malformed: fall back to the plain name
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
  if (!plain) return null;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, "$1") : plain[2].trim();
}

/** Encode a label name as one path segment (names may contain "/"). */
export function labelPath(name) {
  return `/labels/${encodeURIComponent(name)}`;
}

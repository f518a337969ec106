// Files to and from the API: downloads (export) and uploads (import). The
// token travels as a Bearer header, so a plain link or form cannot do it:
// fetch, then hand the browser a Blob to save.

import { API_BASE, ApiError, getToken, goToLogin } from "./api.js";

/**
 * Call the API and return the raw Response of a successful answer.
 * Errors throw ApiError as api() does; a 401 goes to the login page.
 */
export async function fetchApi(method, path, { query, body } = {}) {
  const url = new URL(API_BASE + path, location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  const token = getToken();
  if (!token) {
    goToLogin(null);
    return new Promise(() => {});
  }
  let response;
  try {
    response = await fetch(url, { method, body, headers: { Authorization: `Bearer ${token}` } });
  } catch {
    throw new ApiError(0, { message: "Cannot reach the Life Logger server. Check your connection and try again." });
  }
  if (response.status === 401) {
    goToLogin("Your session has expired or was ended. Log in again to continue.");
    return new Promise(() => {});
  }
  if (!response.ok) {
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    throw new ApiError(response.status, data);
  }
  return response;
}

/** Let the browser save `blob` as `filename`. */
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

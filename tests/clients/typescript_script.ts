// A script calling every operation through the client @hey-api/openapi-ts generates from the spec.
//
// tests/test_api_contract.py generates ./lifelogger_client from the live
// /api/v1/openapi.json and type-checks this file with `tsc --strict`. The
// `@ts-expect-error` lines are checks too: they fail the build if the document
// stops saying that a field can be null or absent (a type too loose), and the
// plain assignments fail if a field the server always sends turns optional.
import { createClient } from "./lifelogger_client/client";
import {
  changePassword, createEvent, getCalendar, getCalendarFeed, listDevices, refreshSession, revokeAllTokens, signOutDevice, createLabel, createToken, deleteEvent, deleteGoal, deleteLabel, exportData,
  getCurrentEvent, getDailyStats, getEvent, getGoal, getGoalProgress, getHealth, getMe, getStats, importEvents,
  listEvents, listGoals, listLabels, listTokens, login, logout, logoutAll, register, renameLabel, revokeToken,
  setGoal, startEvent, stopEvent, updateEvent, updateMe,
} from "./lifelogger_client";
import type { Error as ApiError, Event, Profile } from "./lifelogger_client";

export async function main(baseUrl: string): Promise<void> {
  const anonymous = createClient({ baseUrl });
  const health = await getHealth({ client: anonymous, throwOnError: true });
  const database: string = health.data.database;

  const profile: Profile = (await register({
    client: anonymous, body: { username: "typed", password: "a typed client's password" }, throwOnError: true,
  })).data;
  const created: string = profile.created_at;
  const token = (await login({ client: anonymous, body: { username: "typed", password: "a typed client's password" }, throwOnError: true })).data;
  const client = createClient({ baseUrl, auth: token.token });
  const auth = { client }; // each operation sends the token where the document says it needs one

  const me = (await getMe({ ...auth, throwOnError: true })).data;
  const zone: string = me.timezone;
  await updateMe({ ...auth, body: { display_name: "Typed", day_starts_at: "04:00" }, throwOnError: true });
  await updateMe({ ...auth, throwOnError: true }); // no body: allowed

  await createLabel({ ...auth, body: { name: "Work" }, throwOnError: true });
  await renameLabel({ ...auth, path: { name: "Work" }, body: { name: "Job" }, throwOnError: true });
  const labels: string[] = (await listLabels({ ...auth, throwOnError: true })).data.labels;

  const started: Event = (await startEvent({ ...auth, body: { label: "Job" }, throwOnError: true })).data;
  const current = (await getCurrentEvent({ ...auth, throwOnError: true })).data;
  // @ts-expect-error: the running event may be null; the type must say so
  const unchecked: string = current.event.label;
  const runningLabel: string | undefined = current.event?.label;
  const forgotten: boolean = current.suspect_forgotten;
  const stopped: Event = (await stopEvent({ ...auth, throwOnError: true })).data; // no body: "now"
  // @ts-expect-error: ended_at is null while an event runs
  const endedAt: string = stopped.ended_at;
  const note: string | null = stopped.note;

  const logged = (await createEvent({
    ...auth, body: { label: "Job", started_at: "2026-03-24T09:00:00Z", ended_at: "2026-03-24T10:00:00Z" }, throwOnError: true,
  })).data;
  const one: Event = (await getEvent({ ...auth, path: { event_id: logged.id }, throwOnError: true })).data;
  await updateEvent({ ...auth, path: { event_id: one.id }, body: { note: "typed" }, throwOnError: true });
  await updateEvent({ ...auth, path: { event_id: one.id }, throwOnError: true }); // no body: allowed

  let cursor: string | undefined;
  const seen: Event[] = [];
  for (;;) {
    const page = (await listEvents({
      ...auth, query: { start: "2026-03-01T00:00:00Z", end: "2026-04-01T00:00:00Z", limit: 100, cursor }, throwOnError: true,
    })).data;
    seen.push(...page.events);
    // @ts-expect-error: `next` is sent only when `limit` is given, and null on the last page
    const next: string = page.next;
    if (page.next == null) break;
    cursor = page.next;
  }

  const stats = (await getStats({ ...auth, query: { start: "2026-03-24T00:00:00Z", end: "2026-03-25T00:00:00Z" }, throwOnError: true })).data;
  const minutes: { [label: string]: number } = stats.minutes;
  const daily = (await getDailyStats({
    ...auth, query: { start: "2026-03-24T00:00:00Z", end: "2026-03-26T00:00:00Z", tz: "Europe/Berlin" }, throwOnError: true,
  })).data;
  const firstDay: string | undefined = daily.days[0]?.date;

  await setGoal({ ...auth, path: { label: "Job" }, body: { kind: "at_least", minutes: 60, per: "day" }, throwOnError: true });
  const goal = (await getGoal({ ...auth, path: { label: "Job" }, throwOnError: true })).data;
  const goals = (await listGoals({ ...auth, throwOnError: true })).data.goals;
  const progress = (await getGoalProgress({ ...auth, throwOnError: true })).data.goals;
  const met: boolean | undefined = progress[0]?.met;
  await deleteGoal({ ...auth, path: { label: goal.label }, throwOnError: true });

  const personal = (await createToken({ ...auth, body: { name: "script", scope: "read", password: "a typed client's password" }, throwOnError: true })).data;
  const secret: string = personal.token;
  const tokens = (await listTokens({ ...auth, throwOnError: true })).data.tokens;
  const lastUsed: string | null | undefined = tokens[0]?.last_used_at;
  await revokeToken({ ...auth, path: { token_id: personal.id }, throwOnError: true });

  // A browser's device sign-in: the cookie is the browser's, so a script gets a 401 here.
  const refreshed = await refreshSession({ client: anonymous });
  const devices = (await listDevices({ ...auth, throwOnError: true })).data.devices;
  if (devices[0] !== undefined) {
    await signOutDevice({ ...auth, path: { device_id: devices[0].id } });
  }
  const calendar = (await getCalendar({ ...auth, query: { start: "2026-03-01T00:00:00Z", end: "2026-04-01T00:00:00Z" }, throwOnError: true })).data;
  const feedToken = (await createToken({ ...auth, body: { name: "calendar app", scope: "calendar", password: "a typed client's password" }, throwOnError: true })).data;
  const feed = (await getCalendarFeed({ client: anonymous, path: { token: feedToken.token }, throwOnError: true })).data;
  await revokeToken({ ...auth, path: { token_id: feedToken.id }, throwOnError: true });
  const exported = (await exportData({ ...auth, query: { format: "json" }, throwOnError: true })).data;
  const exportedLabels: string[] = exported.labels;
  await importEvents({ ...auth, query: { format: "lifelogger-json", dry_run: true }, body: { ...exported } });

  const missing = await getEvent({ ...auth, path: { event_id: 999999 } });
  if (missing.error !== undefined) {
    const error: ApiError = missing.error; // a 404 is read as the one Error shape
    const message: string = error.message;
    const status: number = error.code;
    console.log(status, message);
  }

  await deleteEvent({ ...auth, path: { event_id: one.id }, throwOnError: true });
  await deleteLabel({ ...auth, path: { name: "Job" } });
  await changePassword({ ...auth, body: { current_password: "a typed client's password", new_password: "another typed password" } });
  await revokeAllTokens({ ...auth, throwOnError: true });
  const everywhere = (await logoutAll({ ...auth, throwOnError: true })).data;
  const kept: number = everywhere.personal_tokens_kept;
  await logout({ ...auth });

  console.log(database, created, zone, labels, started.id, unchecked, runningLabel, forgotten, endedAt, note, seen.length,
    minutes, firstDay, goals.length, met, secret, lastUsed, exportedLabels, calendar, feed, refreshed.error, kept);
}

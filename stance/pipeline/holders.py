"""Pipeline stage ``holders``: resolve each attribution's source to the actor who holds the claim.

A sourceless attribution that continues a sentence ("…, adding that …") keeps the holder
of the attribution before it in the same sentence.

A source that names a registry actor ("ministry spokesman Wang Wenbin") resolves to it;
possessors are skipped ("Putin's adviser Yuri Ushakov" → Ushakov, not Putin). A pronoun
("he said") or a role noun ("the ministry said", "the spokesman said") resolves to the
nearest preceding actor of a compatible kind (configs/pipeline.yaml, ``holders``),
searching back through the current and a few earlier claims. The resolved source is
added to the claim as a mention (``via`` = ``pronoun`` or ``role``) so the classifier
judges the holder's own stance on the claim it made.
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

    def __init__(self, registry: ActorRegistry, config: HolderConfig | None = None):
        self.registry = registry
        self.config = config or HolderConfig()

    def __call__(self, article: Article) -> Article:
        claims: list[Claim] = []
        for claim in article.claims:
            claims.append(self._resolve(article.text, claim, claims))
        return replace(article, claims=tuple(claims))

    def _resolve(self, text: str, claim: Claim, earlier: list[Claim]) -> Claim:
        attribution = claim.attribution
        if attribution is None:
            return claim
        if not attribution.source:
            return self._continued(claim, earlier)
        source = attribution.source_extent
        named = [
            m
            for m in claim.mentions
            if source.start <= m.start and m.end <= source.end and not _POSSESSIVE.match(text[m.end : m.end + 2])
        ]
        if named:
            return replace(claim, attribution=replace(attribution, holder_id=named[-1].actor_id))
        via, kinds = self.compatible_kinds(text[source.start : source.end])
        if not kinds:
            return claim
        before = [m for m in claim.mentions if m.end <= source.start]
        for previous in reversed(earlier[-self.config.lookback_claims :]):
            before = list(previous.mentions) + before
        holder = next((m for m in reversed(before) if self.registry[m.actor_id].kind in kinds), None)
        if holder is None:
            return claim
        mention = Mention(source.start, source.end, text[source.start : source.end], holder.actor_id, via=via)
        mentions = tuple(sorted((*claim.mentions, mention), key=lambda m: (m.start, m.end)))
        return replace(claim, mentions=mentions, attribution=replace(attribution, holder_id=holder.actor_id))

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

"""The stance network: MiniLM encoder (with LoRA) and a head over two views of the claim.

The head reads the mean-pooled claim (what is being said) concatenated with the hidden
state at the mention's start marker (who it is said about or by) — entity-marker
pooling as in Baldini Soares et al. (2019), which lets two mentions in one claim get
different labels. all-MiniLM-L6-v2 was trained with mean pooling, so its pooler/CLS
output is not used.
"""

from __future__ import annotations

from types import SimpleNamespace

import torch
from torch import nn


class MentionStanceNetwork(nn.Module):
    """Encoder + linear head over ``[mean(claim); hidden(mention start marker)]``."""

    def __init__(
        self, encoder: nn.Module, num_labels: int, marker_id: int, dropout: float = 0.1, label_smoothing: float = 0.0
    ):
        super().__init__()
        self.encoder = encoder
        self.marker_id = marker_id
        self.label_smoothing = label_smoothing
        hidden = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(2 * hidden, num_labels)

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None, weights=None):
        states = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        mean = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        # A claim truncated before its marker falls back to position 0 ([CLS]).
        positions = (input_ids == self.marker_id).to(torch.long).argmax(dim=1)
        marker = states[torch.arange(states.size(0)), positions]
        logits = self.head(self.dropout(torch.cat([mean, marker], dim=-1)))
        loss = None
        if labels is not None:
            losses = nn.functional.cross_entropy(
                logits, labels, label_smoothing=self.label_smoothing, reduction="none"
            )
            loss = losses.mean() if weights is None else (losses * weights).sum() / weights.sum()
        return SimpleNamespace(logits=logits, loss=loss)

    def head_state(self) -> dict[str, torch.Tensor]:
        return {f"head.{k}": v.detach().contiguous() for k, v in self.head.state_dict().items()}


class LogitAverage(nn.Module):
    """A seed ensemble: the mean of its members' logits.

    Members differ only in seed (initialisation and data order); averaging them removes
    much of the seed-to-seed variance that a 500-pair dev set cannot tell apart from real
    gains (Lakshminarayanan et al., 2017). The temperature is fitted on the mean logits.
    """

    def __init__(self, members: list[nn.Module]):
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        logits = [m(input_ids, attention_mask, token_type_ids).logits for m in self.members]
        return SimpleNamespace(logits=torch.stack(logits).mean(dim=0), loss=None)

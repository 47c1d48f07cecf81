"""How stages stream articles: ``pipe_in_batches`` and the two stage base classes."""

from stance.data import Article
from stance.pipeline.stage import ArticleStage, BatchedStage, pipe_in_batches


def test_pipe_in_batches_keeps_order_and_fills_every_batch_but_the_last():
    batches = []

    def process(batch):
        batches.append(list(batch))
        return [item * 10 for item in batch]

    assert list(pipe_in_batches(range(7), 3, process)) == [0, 10, 20, 30, 40, 50, 60]
    assert batches == [[0, 1, 2], [3, 4, 5], [6]]
    batches.clear()
    assert list(pipe_in_batches(range(4), 2, process)) == [0, 10, 20, 30]
    assert batches == [[0, 1], [2, 3]]
    assert list(pipe_in_batches([], 2, process)) == []


def test_pipe_in_batches_is_lazy():
    seen = []

    def process(batch):
        seen.append(list(batch))
        return batch

    stream = pipe_in_batches(iter(range(5)), 2, process)
    assert seen == []
    assert next(stream) == 0 and seen == [[0, 1]]


class Tagging(BatchedStage):
    name = "tagging"

    def __init__(self):
        self.batch_sizes = []

    def _annotate(self, articles):
        self.batch_sizes.append(len(articles))
        return [Article(id=a.id, text=a.text, title=f"batch of {len(articles)}") for a in articles]


class Upper(ArticleStage):
    name = "upper"

    def __call__(self, article):
        return Article(id=article.id, text=article.text.upper())


def test_batched_stage_annotates_whole_batches_and_call_is_a_batch_of_one():
    stage = Tagging()
    articles = [Article(id=str(i), text="x") for i in range(5)]
    piped = list(stage.pipe(articles, batch_size=2))
    assert [(a.id, a.title) for a in piped] == [("0", "batch of 2"), ("1", "batch of 2"), ("2", "batch of 2"),
                                                ("3", "batch of 2"), ("4", "batch of 1")]
    assert stage.batch_sizes == [2, 2, 1]
    assert stage(articles[0]).title == "batch of 1"


def test_article_stage_pipe_maps_call_whatever_the_batch_size():
    articles = [Article(id="a", text="x"), Article(id="b", text="y")]
    assert [a.text for a in Upper().pipe(articles, batch_size=1)] == ["X", "Y"]
    assert list(Upper().pipe(articles, batch_size=64)) == [Upper()(a) for a in articles]
    assert (Upper.requires, Upper.assigns) == ((), ())

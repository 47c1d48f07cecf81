"""The clean stage: which paragraphs are body text (offsets into the unchanged text)."""

from stance.data import Article
from stance.pipeline.clean import TextCleaner


def test_cleaner_drops_boilerplate_title_and_duplicates_keeping_offsets():
    text = (
        "Big headline\n\nFirst paragraph.\nAP\n\nFirst paragraph.\n"
        "READ MORE: Something else?\n\nLoading...\nSecond paragraph.\nRoute 6"
    )
    article = TextCleaner()(Article(id="x", text=text, title="Big headline"))
    kept = [text[span.start : span.end] for span in article.body]
    assert kept == ["First paragraph.", "Second paragraph."]
    assert article.body[0].start == text.index("First paragraph.")


def test_cleaner_does_not_mutate_input():
    article = Article(id="x", text="One.\nOne.")
    cleaned = TextCleaner()(article)
    assert article.body is None and len(cleaned.body) == 1

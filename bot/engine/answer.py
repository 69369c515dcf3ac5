"""What the engine returns for a question, whichever way the question came in."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bot.engine.context import Conversation


class Citation(BaseModel):
    """The source an answer rests on: outlet, date and the article's headline."""

    model_config = ConfigDict(frozen=True)

    outlet: str
    date: str
    headline: str

    def __str__(self) -> str:
        return f"{self.outlet}, {self.date}"


class Answer(BaseModel):
    """The engine's reply: answered or declined, the text, what it used and how sure it is."""

    model_config = ConfigDict(frozen=True)

    question: str
    answered: bool
    text: str
    intent: str | None = None
    entity: str | None = None
    fact_ids: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    confidence: int = Field(ge=0, le=100)
    source: Citation | None = None
    suggestions: list[str] = Field(default_factory=list, max_length=3)
    # What the conversation is about after this answer: pass it with the next question.
    context: Conversation | None = None

    def to_json_dict(self) -> dict[str, object]:
        """Return the fields `ask --json` prints, in their documented order."""
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": self.text,
            "intent": self.intent,
            "entity": self.entity,
            "confidence": self.confidence,
            "source": str(self.source) if self.source else None,
            "suggestions": list(self.suggestions),
        }

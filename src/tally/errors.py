"""Domain exceptions. The library raises these; the CLI and web layer turn them into messages."""


class TallyError(Exception):
    """Base of every error tally raises on purpose."""

    exit_code = 1


class InputProblem(TallyError):
    """One input (a file, a row, stdin) cannot be read as a document.

    `source` names the input (path, path:line, or "-"), `problem` says what is wrong in a
    few words, so that the CLI can print `source: problem` on one line.
    """

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class StoreError(TallyError):
    """The store cannot be opened or written."""

    exit_code = 3


class NotFound(TallyError):
    """A document or claim that was asked for is not in the store."""

    exit_code = 4


class DocumentRefused(StoreError):
    """The store refused one document (its data, not the store, is at fault): the batch
    goes on without it."""

    def __init__(self, doc_id: str, problem: str) -> None:
        super().__init__(f"{doc_id}: {problem}")
        self.doc_id = doc_id
        self.problem = problem


class BadValue(TallyError):
    """A value given on the command line or to the API is not one tally accepts."""

    exit_code = 2

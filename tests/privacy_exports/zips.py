"""Reading an export's ZIP back."""

import csv
import io
import json
import zipfile
from typing import Any


class Zip:
    """The members of an export file, decoded."""

    def __init__(self, content: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.names = sorted(archive.namelist())
            self.texts = {name: archive.read(name).decode("utf-8-sig") for name in self.names}
        self.data: dict[str, Any] = json.loads(self.texts["data.json"])

    @property
    def everything(self) -> str:
        """Every member's text, one after the other."""
        return "\n".join(self.texts.values())

    def rows(self, label: str) -> dict[str, dict[str, Any]]:
        """The rows of table `label` in data.json, by id (as text)."""
        table = self.data["tables"].get(label, {"rows": []})
        return {str(row["id"]): row for row in table["rows"]}

    def csv_rows(self, label: str) -> dict[str, dict[str, str]]:
        """The rows of the table's CSV file, by id."""
        text = self.texts.get(f"tables/{label.lower()}.csv")
        if text is None:
            return {}
        # `;` in French, `,` in English (the person's language): the character after "id".
        delimiter = text.removeprefix("\ufeff")[2]
        return {row["id"]: row for row in csv.DictReader(io.StringIO(text), delimiter=delimiter)}

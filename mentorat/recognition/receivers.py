"""Recognition listens to the training app: a completed module becomes an Open Badge."""

from datetime import datetime
from typing import Any

from mentorat.recognition import services


def on_module_completed(
    sender: Any, *, user_id: int, module_id: int, completed_at: datetime, **kwargs: Any
) -> None:
    services.record_module_completion(
        user_id=user_id, module_id=module_id, completed_at=completed_at
    )

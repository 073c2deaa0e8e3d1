"""The worker's heartbeats hold no personal data (see `mentorat.lib.personal_data`)."""

from mentorat.lib.personal_data import ModelData

DATA_MAP: tuple[ModelData, ...] = ()

NOT_PERSONAL_MODELS: dict[str, str] = {
    "worker.WorkerHeartbeat": "the machine name and process id of a background worker",
}

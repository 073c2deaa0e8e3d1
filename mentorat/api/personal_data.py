"""Personal data of the REST API (see `mentorat.lib.personal_data`): who created and who
revoked each API key. The key's secret is a random token, stored hashed; the stored
answers of idempotent writes hold counts and run states, never people's details (the
API stores only the answers of writes, which name nobody)."""

from mentorat.lib.personal_data import Basis, ModelData, Purpose, link

BASIS = Basis.LEGITIMATE_INTEREST

DATA_MAP: tuple[ModelData, ...] = (
    ModelData(
        model="api.ApiKey",
        subjects=("created_by",),
        fields={
            "created_by": link("created_by", purpose=Purpose.SECURITY, basis=BASIS),
            "revoked_by": link("revoked_by", purpose=Purpose.SECURITY, basis=BASIS),
        },
        not_personal={
            "name": "what the organisation's system the key serves is called",
            "prefix": "a random public part of the key",
            "secret_hash": "the SHA-256 of a random token",
            "scopes": "codes of what the key may do",
        },
    ),
    ModelData(
        model="api.IdempotentResponse",
        subjects=(),
        fields={},
        not_personal={
            "key": "a token the calling system chose for one write",
            "request_hash": "a digest of the request",
            "content_type": "the media type of the answer",
            "body": "the answer of a write: counts and states, no one's details",
        },
    ),
)

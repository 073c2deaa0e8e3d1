from mentorat.legal.models import LegalPageKind, LegalPageVersion


def current_version(*, kind: LegalPageKind | str) -> LegalPageVersion | None:
    return LegalPageVersion.objects.filter(kind=kind).order_by("-version").first()

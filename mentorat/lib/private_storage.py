"""Where private files live (personal-data exports, message attachments): the `private`
storage (settings `STORAGES`), which no URL serves. Its files are read by views that
check who is asking, and streamed.

Model fields and every reader use `private_files`, which looks the storage up
in the setting when first used, and again whenever the setting changes (tests point it
at a temporary folder), so that the model field and the code never disagree."""

from typing import Any, cast

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage without public addresses: `url()` refuses, so that no
    template or serializer can ever link to a private file by mistake."""

    def url(self, name: str | None) -> str:
        """Never: private files are streamed by views that check permissions."""
        raise NotImplementedError("Private files have no URL; stream them from a view.")


class _PrivateStorage(LazyObject):
    _wrapped: Any  # the storage, or `empty` until looked up

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private_files = _PrivateStorage()


def _forget_storage(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        private_files._wrapped = empty


setting_changed.connect(_forget_storage)


def private_storage() -> Storage:
    """The `private` storage (the model field's `storage` callable, and every reader's)."""
    return cast(Storage, private_files)

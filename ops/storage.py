"""Local-disk storage whose files appear whole or not at all.

Several app servers and task workers may share MEDIA_ROOT (NFS or one machine): a file
another process is still writing must never be read as if complete. Django's
FileSystemStorage writes into the final name; this one writes a temporary file in the same
folder and renames it (atomic on POSIX), as S3-compatible stores do by nature."""

import os
import tempfile

from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        if self.directory_permissions_mode is not None:
            os.chmod(directory, self.directory_permissions_mode)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                if hasattr(content, "temporary_file_path"):
                    with open(content.temporary_file_path(), "rb") as source:
                        while chunk := source.read(1 << 20):
                            out.write(chunk)
                else:
                    for chunk in content.chunks():
                        out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            os.chmod(tmp, self.file_permissions_mode or 0o644)
            os.replace(tmp, full_path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        return str(name).replace("\\", "/")

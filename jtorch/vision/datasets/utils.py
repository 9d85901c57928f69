"""Download, checksum and extraction helpers (``torchvision.datasets.utils``).

Same functions and messages as torchvision. Differences:

* Downloads never hang: every connection attempt has a deadline of :data:`CONNECT_TIMEOUT`
  seconds (name resolution included), reads time out after :data:`READ_TIMEOUT` seconds, and a
  failure raises ``RuntimeError`` naming the URL, the reason, and, when the network looks
  unreachable, that the machine seems offline. There is no retry over plain http and no progress
  bar; a failed download leaves no partial file behind.
* :func:`check_reachable` (not in torchvision) fails fast before a download that another library
  would make, which may retry for minutes when offline.
* No Google Drive downloads (torchvision needs ``gdown`` for those): a Drive URL raises a clear
  error.
* Tar archives are extracted with the ``"data"`` filter (no absolute paths, no links out of the
  target folder).
"""
import bz2
import errno
import gzip
import hashlib
import lzma
import os
import pathlib
import socket
import tarfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import zipfile

__all__ = ["USER_AGENT", "CONNECT_TIMEOUT", "READ_TIMEOUT", "calculate_md5", "check_md5", "check_integrity",
           "download_url", "check_reachable", "list_dir", "list_files", "extract_archive",
           "download_and_extract_archive", "iterable_to_str", "verify_str_arg"]

USER_AGENT = "pytorch/vision"
CONNECT_TIMEOUT = 4.0
READ_TIMEOUT = 30.0

_OFFLINE_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ECONNREFUSED, errno.ETIMEDOUT}


def calculate_md5(fpath, chunk_size=1024 * 1024):
    """The hex md5 digest of the file at ``fpath``."""
    md5 = hashlib.md5(usedforsecurity=False)
    with open(fpath, "rb") as f:
        while chunk := f.read(chunk_size):
            md5.update(chunk)
    return md5.hexdigest()


def check_md5(fpath, md5, **kwargs):
    """Whether the file's md5 digest is ``md5``."""
    return md5 == calculate_md5(fpath, **kwargs)


def check_integrity(fpath, md5=None):
    """Whether ``fpath`` is a file and, when ``md5`` is given, has that md5 digest."""
    if not os.path.isfile(fpath):
        return False
    if md5 is None:
        return True
    return check_md5(fpath, md5)


def _seems_offline(reason):
    """Whether a connection failure means the network (or the host) cannot be reached at all."""
    if isinstance(reason, urllib.error.URLError) and not isinstance(reason, urllib.error.HTTPError):
        reason = reason.reason
    if isinstance(reason, (socket.gaierror, socket.timeout, TimeoutError, ConnectionRefusedError)):
        return True
    return isinstance(reason, OSError) and reason.errno in _OFFLINE_ERRNOS


def _download_error(url, reason, advice):
    """The RuntimeError a failed download raises: the URL, the reason and, when the network looks
    unreachable, that the machine seems offline and ``advice``."""
    msg = f"Could not download {url}: {reason}."
    if _seems_offline(reason):
        host = urllib.parse.urlsplit(url).hostname or url
        msg += f" The machine seems to be offline (or {host} is unreachable). {advice}"
    return RuntimeError(msg)


def _with_deadline(fn):
    """``fn()`` in a helper thread, given up after :data:`CONNECT_TIMEOUT` (+1) seconds with a
    ``TimeoutError`` (a stuck name lookup ignores socket timeouts)."""
    result = {}

    def target():
        try:
            result["value"] = fn()
        except BaseException as e:  # re-raised in the calling thread
            result["error"] = e

    thread = threading.Thread(target=target, daemon=True, name="jtorch-download")
    thread.start()
    thread.join(CONNECT_TIMEOUT + 1.0)
    if thread.is_alive():
        raise TimeoutError(f"no connection within {CONNECT_TIMEOUT:g} s")
    if "error" in result:
        raise result["error"]
    return result["value"]


def _open(url):
    """``urlopen(url)`` under a hard deadline."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    return _with_deadline(lambda: urllib.request.urlopen(request, timeout=CONNECT_TIMEOUT))


def check_reachable(url, advice=""):
    """Raise ``RuntimeError`` (within seconds, ending with ``advice``) when no connection to
    ``url``'s host can be opened; for downloads done by other libraries, which may retry for
    minutes when offline."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        _with_deadline(lambda: socket.create_connection((parts.hostname, port), timeout=CONNECT_TIMEOUT).close())
    except OSError as e:
        raise _download_error(url, e, advice) from e


def _set_read_timeout(response):
    """Give an open HTTP response the longer :data:`READ_TIMEOUT` for reading the body."""
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(READ_TIMEOUT)


def _is_google_drive(url):
    return urllib.parse.urlsplit(url).netloc in ("drive.google.com", "docs.google.com")


def _urlretrieve(url, fpath, chunk_size=1024 * 32):
    """Copy ``url`` to ``fpath`` (through a temporary file, so a failure leaves nothing behind)."""
    partial = fpath + ".partial"
    try:
        with _open(url) as response:
            _set_read_timeout(response)
            if _is_google_drive(response.geturl() or url):
                raise RuntimeError(f"{url} is a Google Drive link; jtorch.vision does not download from Google "
                                   f"Drive. Download it by hand and place it at {fpath}.")
            with open(partial, "wb") as fh:
                while chunk := response.read(chunk_size):
                    fh.write(chunk)
        os.replace(partial, fpath)
    except (urllib.error.URLError, OSError) as e:
        raise _download_error(url, e, f"Download the file on a machine with network access and place it at "
                                               f"{fpath}, then run again.") from e
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def download_url(url, root, filename=None, md5=None, max_redirect_hops=3):
    """Download ``url`` into ``root`` (as ``filename``, default the URL's basename) and check its md5.

    Does nothing (but say so) when the file is already there and verified. Redirects are
    followed (``max_redirect_hops`` is accepted for torchvision compatibility; urllib's own limit
    applies). Raises ``RuntimeError`` when the download fails (within seconds when offline) or
    when the downloaded file does not match ``md5`` ("File not found or corrupted.").
    """
    root = os.path.expanduser(os.fspath(root))
    if not filename:
        filename = os.path.basename(url)
    fpath = os.path.join(root, filename)
    os.makedirs(root, exist_ok=True)
    if check_integrity(fpath, md5):
        print("Using downloaded and verified file: " + fpath)
        return
    if _is_google_drive(url):
        raise RuntimeError(f"{url} is a Google Drive link; jtorch.vision does not download from Google Drive. "
                           f"Download it by hand and place it at {fpath}.")
    print("Downloading " + url + " to " + fpath)
    _urlretrieve(url, fpath)
    if not check_integrity(fpath, md5):
        raise RuntimeError("File not found or corrupted.")


def list_dir(root, prefix=False):
    """The directories in ``root`` (full paths when ``prefix``)."""
    root = os.path.expanduser(root)
    directories = [p for p in os.listdir(root) if os.path.isdir(os.path.join(root, p))]
    return [os.path.join(root, d) for d in directories] if prefix else directories


def list_files(root, suffix, prefix=False):
    """The files in ``root`` whose names end with ``suffix`` (a str or tuple; full paths when ``prefix``)."""
    root = os.path.expanduser(root)
    files = [p for p in os.listdir(root) if os.path.isfile(os.path.join(root, p)) and p.endswith(suffix)]
    return [os.path.join(root, f) for f in files] if prefix else files


def _extract_tar(from_path, to_path, compression):
    with tarfile.open(from_path, f"r:{compression[1:]}" if compression else "r") as tar:
        tar.extractall(to_path, filter="data")


_ZIP_COMPRESSION_MAP = {".bz2": zipfile.ZIP_BZIP2, ".xz": zipfile.ZIP_LZMA}


def _extract_zip(from_path, to_path, compression):
    with zipfile.ZipFile(from_path, "r",
                         compression=_ZIP_COMPRESSION_MAP[compression] if compression else zipfile.ZIP_STORED) as z:
        z.extractall(to_path)


_ARCHIVE_EXTRACTORS = {".tar": _extract_tar, ".zip": _extract_zip}
_COMPRESSED_FILE_OPENERS = {".bz2": bz2.open, ".gz": gzip.open, ".xz": lzma.open}
_FILE_TYPE_ALIASES = {".tbz": (".tar", ".bz2"), ".tbz2": (".tar", ".bz2"), ".tgz": (".tar", ".gz")}


def _detect_file_type(file):
    """(suffix, archive type, compression) of a file name, as torchvision detects them."""
    suffixes = pathlib.Path(file).suffixes
    if not suffixes:
        raise RuntimeError(
            f"File '{file}' has no suffixes that could be used to detect the archive type and compression.")
    suffix = suffixes[-1]
    if suffix in _FILE_TYPE_ALIASES:
        return (suffix, *_FILE_TYPE_ALIASES[suffix])
    if suffix in _ARCHIVE_EXTRACTORS:
        return suffix, suffix, None
    if suffix in _COMPRESSED_FILE_OPENERS:
        if len(suffixes) > 1 and suffixes[-2] in _ARCHIVE_EXTRACTORS:
            return suffixes[-2] + suffix, suffixes[-2], suffix
        return suffix, None, suffix
    valid_suffixes = sorted(set(_FILE_TYPE_ALIASES) | set(_ARCHIVE_EXTRACTORS) | set(_COMPRESSED_FILE_OPENERS))
    raise RuntimeError(f"Unknown compression or archive type: '{suffix}'.\nKnown suffixes are: '{valid_suffixes}'.")


def _decompress(from_path, to_path, remove_finished=False):
    """Decompress a single compressed file (.gz/.bz2/.xz) to ``to_path``."""
    suffix, archive_type, compression = _detect_file_type(from_path)
    if not compression:
        raise RuntimeError(f"Couldn't detect a compression from suffix {suffix}.")
    with _COMPRESSED_FILE_OPENERS[compression](from_path, "rb") as rfh, open(to_path, "wb") as wfh:
        while chunk := rfh.read(1024 * 1024):
            wfh.write(chunk)
    if remove_finished:
        os.remove(from_path)
    return to_path


def extract_archive(from_path, to_path=None, remove_finished=False):
    """Extract a tar/zip archive (optionally compressed) or decompress a .gz/.bz2/.xz file.

    The type comes from the file name, as in torchvision. Returns the folder extracted into
    (default: the archive's folder), or the decompressed file's path for a plain compressed file.
    """
    from_path = os.fspath(from_path)
    if to_path is None:
        to_path = os.path.dirname(from_path)
    to_path = os.fspath(to_path)
    suffix, archive_type, compression = _detect_file_type(from_path)
    if not archive_type:
        return _decompress(from_path, os.path.join(to_path, os.path.basename(from_path).replace(suffix, "")),
                           remove_finished=remove_finished)
    _ARCHIVE_EXTRACTORS[archive_type](from_path, to_path, compression)
    if remove_finished:
        os.remove(from_path)
    return to_path


def download_and_extract_archive(url, download_root, extract_root=None, filename=None, md5=None,
                                 remove_finished=False):
    """:func:`download_url` into ``download_root``, then :func:`extract_archive` into ``extract_root``."""
    download_root = os.path.expanduser(os.fspath(download_root))
    if extract_root is None:
        extract_root = download_root
    if not filename:
        filename = os.path.basename(url)
    download_url(url, download_root, filename, md5)
    archive = os.path.join(download_root, filename)
    print(f"Extracting {archive} to {extract_root}")
    extract_archive(archive, extract_root, remove_finished)


def iterable_to_str(iterable):
    """``'a', 'b', 'c'``: the items quoted and comma-separated (for error messages)."""
    return "'" + "', '".join([str(item) for item in iterable]) + "'"


def verify_str_arg(value, arg=None, valid_values=None, custom_msg=None):
    """Check that ``value`` is a str and one of ``valid_values``; raise ``ValueError`` as torchvision does."""
    if not isinstance(value, str):
        if arg is None:
            msg = "Expected type str, but got type {type}."
        else:
            msg = "Expected type str for argument {arg}, but got type {type}."
        raise ValueError(msg.format(type=type(value), arg=arg))
    if valid_values is None:
        return value
    if value not in valid_values:
        if custom_msg is not None:
            msg = custom_msg
        else:
            msg = "Unknown value '{value}' for argument {arg}. Valid values are {{{valid_values}}}.".format(
                value=value, arg=arg, valid_values=iterable_to_str(valid_values))
        raise ValueError(msg)
    return value

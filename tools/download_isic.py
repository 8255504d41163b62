"""Download an official ISIC release into the layout the configs read.

    python tools/download_isic.py isic2017 data/ISIC2017
    python tools/download_isic.py isic2017 data/ISIC2017 --only val
    python tools/download_isic.py isic2018_task1 data/ISIC_archive
    python tools/download_isic.py --list

Each file is streamed to DEST/.downloads with a progress bar, resumed
(HTTP Range) if an earlier run stopped, verified (MD5 where published, zip
integrity, the number of images / masks / label rows) and only then
unpacked, through a staging folder renamed into place. What is already
complete is skipped without a request, so the command can simply be run
again. A file that fails a check is refused by name and nothing of it is
unpacked.
"""
import argparse
import sys

from isic_plugins.data_fetch import (
                                     RELEASES,
                                     DownloadError,
                                     ReleaseError,
                                     ReleaseInstaller,
                                     Unreachable,
                                     host_of,
)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='releases:\n' + '\n'.join(
            f'  {r.name:15s} {r.description} ({r.licence})'
            for r in RELEASES.values()))
    parser.add_argument('release', nargs='?', choices=sorted(RELEASES),
                        help='what to download')
    parser.add_argument('dest', nargs='?',
                        help='data folder, e.g. data/ISIC2017 (created)')
    parser.add_argument(
        '--only', nargs='+', default=[], metavar='PART',
        help='only these subsets (train val test) and/or contents (images '
        'masks labels), e.g. "--only val" or "--only masks labels"')
    parser.add_argument(
        '--base-url', default=None,
        help="a mirror's URL of the release's folder (default: the "
        "release's official one)")
    parser.add_argument(
        '--no-checksum', action='store_true',
        help='skip the MD5 check (a mirror that re-packed the zips); zip '
        'integrity and counts are still checked')
    parser.add_argument(
        '--keep-zips', action='store_true',
        help='keep the downloaded zips in DEST/.downloads')
    parser.add_argument(
        '--retries', type=int, default=3,
        help='resumes of a transfer that breaks off, per file (default 3)')
    parser.add_argument('--list', action='store_true',
                        help='list the files of each release and exit')
    args = parser.parse_args(argv)
    if not args.list and (args.release is None or args.dest is None):
        parser.error('give RELEASE and DEST (or --list)')
    return args


def list_releases() -> None:
    for release in RELEASES.values():
        print(f'{release.name}: {release.description}; licence '
              f'{release.licence}; {release.base_url}')
        for f in release.files:
            print(f'  {f.name:45s} {f.subset:5s} {f.count:5d} '
                  f'{f.content:6s} {f.size:>7s} -> {f.destination}')


def rich_progress():
    """A rich progress bar per download: bytes, rate and time left."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    def start(name):
        bar = Progress(
            TextColumn('{task.description}'), BarColumn(), DownloadColumn(),
            TransferSpeedColumn(), TimeRemainingColumn())
        task = bar.add_task(name, total=None)
        bar.start()

        def on_start(done, total):
            bar.reset(task, total=total, completed=done)

        def on_bytes(n):
            bar.advance(task, n)

        return on_start, on_bytes, bar.stop

    return start


def check_command(release: str, dest: str) -> str:
    """The command that checks every file the download produced."""
    if release == 'isic2017':
        keys = ' '.join(f'{s}_dataloader.dataset.data_root={dest}'
                        for s in ('train', 'val', 'test'))
        return (f'python tools/check_dataset.py configs/seg_resnet.py '
                f'--workers 2 --cfg-options {keys}')
    return ('python tools/check_dataset.py configs/seg_stage1.py --splits '
            'train --cfg-options train_dataloader.dataset.datasets.1.'
            f'data_root={dest} '
            'train_dataloader.dataset.datasets.1.metadata_file=None')


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.list:
        list_releases()
        return 0
    release = RELEASES[args.release]
    installer = ReleaseInstaller(
        release, args.dest, base_url=args.base_url,
        check_md5=not args.no_checksum, keep_downloads=args.keep_zips,
        retries=args.retries, progress=rich_progress(),
        note=lambda msg: print(msg, flush=True))
    try:
        files = installer.select(args.only)
        installer.install(files)
    except ValueError as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    except Unreachable as e:
        print(f'error: {e}. Without a connection to '
              f'{host_of(args.base_url or release.base_url)}, copy the '
              'release from another machine into a local folder (as '
              '../shared/isic2017_real is) and point the configs\' '
              'data_root at it; a download that was cut is resumed when '
              'this command runs again', file=sys.stderr)
        return 1
    except (DownloadError, ReleaseError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f'\ninterrupted: what arrived is kept in {args.dest}/.downloads '
              'and the same command resumes it', file=sys.stderr)
        return 130
    what = ' '.join(args.only) or 'all files'
    print(f'{args.dest}: {release.name} ({what}) complete; licence '
          f'{release.licence}. Check it with:\n'
          f'  {check_command(release.name, args.dest)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())

# syntax=docker/dockerfile:1
# ImageProxy container image: a self-contained publish (no .NET runtime needed in the image) with libvips 8.18.7
# from NuGet's NetVips.Native, on a small runtime base, running as a non-root user.
#
#   docker build -t imageproxy .            # or: podman build --isolation=chroot -t imageproxy .
#   docker run -p 8080:8080 -v $PWD/sources.json:/etc/imageproxy/sources.json:ro imageproxy
#
# The base images are build arguments so the image can be built where no registry is reachable:
# scripts/image-test.sh builds it against a local Debian 12 base (debootstrap) with podman and then runs the
# server from the built image's filesystem. The defaults are the official .NET images.
#
# libvips: the prebuilt, self-contained libvips from the NuGet packages NetVips.Native.linux-x64 and -arm64,
# restored with the project and published next to the app, rather than the distribution's libvips42t64. It is
# the exact build the test suite runs on; it is one .so with its codecs linked in, so the runtime image needs no
# apt packages but fonts and carries none of libvips42t64's ~100 dependencies (ImageMagick, poppler, …).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

# ---- build -------------------------------------------------------------------------------------
FROM ${SDK_IMAGE} AS build
ARG RID=linux-x64
# Extra restore options, e.g. "--source /root/.nuget/packages" to restore from a mounted package folder offline.
ARG RESTORE_OPTIONS=
WORKDIR /src
# Restore first, from the project files only, so the layer is reused while only code changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ImageProxy.Transform/ImageProxy.Transform.csproj src/ImageProxy.Transform/
COPY src/ImageProxy.Imaging/ImageProxy.Imaging.csproj src/ImageProxy.Imaging/
COPY src/ImageProxy.Server/ImageProxy.Server.csproj src/ImageProxy.Server/
RUN dotnet restore src/ImageProxy.Server/ImageProxy.Server.csproj -r "$RID" $RESTORE_OPTIONS
COPY src/ src/
RUN dotnet publish src/ImageProxy.Server/ImageProxy.Server.csproj -c Release -r "$RID" --self-contained \
      --no-restore -o /app

# ---- runtime -----------------------------------------------------------------------------------
# runtime-deps: glibc, ICU, OpenSSL, CA certificates, time zones; no .NET (the publish carries its own).
FROM ${RUNTIME_IMAGE} AS runtime
COPY --from=build /app /app
# Fonts for txt and /~text (README, Text): libvips' pango finds them through fontconfig's /etc/fonts, and the
# fontconfig package builds the system font cache at install, so the non-root user needs no cache of its own.
# DejaVu also covers Hebrew and Arabic; Noto Color Emoji (10 MB) draws emoji in colour.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core fonts-liberation fonts-noto-color-emoji \
 && rm -rf /var/lib/apt/lists/*
# The sources file is mounted at /etc/imageproxy; the disk cache is a volume owned by the app user. With a
# read-only root filesystem, mount writable volumes at /var/cache/imageproxy and /tmp.
RUN mkdir -p /etc/imageproxy /var/cache/imageproxy \
 && chown 1654:1654 /var/cache/imageproxy
# glibc would give each render thread an arena of its own; two keep RSS near the live heap (imgproxy and imagor
# set the same).
ENV MALLOC_ARENA_MAX=2 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# Non-root, by number: 1654 is the official images' 'app' user, and a number needs no passwd entry on other bases.
USER 1654:1654
WORKDIR /app
EXPOSE 8080
# The program checks itself: no curl, wget or shell needed (so it also works on a distroless base).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/app/imageproxy", "health", "--base", "http://127.0.0.1:8080", "--timeout", "3"]
ENTRYPOINT ["/app/ImageProxy.Server"]
# Inside a container the server must listen on all interfaces; publish the port deliberately.
CMD ["--urls", "http://0.0.0.0:8080", "--sources", "/etc/imageproxy/sources.json", "--cache-dir", "/var/cache/imageproxy"]

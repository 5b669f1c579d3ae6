# syntax=docker/dockerfile:1
# ImageProxy container image.
# NOTE: written without a Docker engine (none runs on the development machines), so this file has
# NOT been built here. The steps mirror run.sh, which is tested.
#
#   docker build -t imageproxy .
#   docker run -p 8080:8080 -v $PWD/sources.json:/etc/imageproxy/sources.json:ro imageproxy
#
# libvips: the prebuilt, self-contained libvips 8.18.7 from the NuGet packages NetVips.Native.linux-x64
# and -arm64, restored with the project and published under runtimes/<rid>/native/, rather than the
# distribution's libvips42t64. It is the exact build the test suite runs on; it is one .so with its
# codecs linked in, so the runtime image needs no apt packages and carries none of libvips42t64's
# ~100 dependencies (ImageMagick, poppler, …) or their CVE churn. To run on the distribution's build
# instead, add `apt-get install -y --no-install-recommends libvips42t64` to the runtime stage and set
# IMAGEPROXY_LIBVIPS=system.

# ---- build -------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the layer is reused while only code changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ImageProxy.Transform/ImageProxy.Transform.csproj src/ImageProxy.Transform/
COPY src/ImageProxy.Imaging/ImageProxy.Imaging.csproj src/ImageProxy.Imaging/
COPY src/ImageProxy.Server/ImageProxy.Server.csproj src/ImageProxy.Server/
RUN dotnet restore src/ImageProxy.Server/ImageProxy.Server.csproj
COPY src/ src/
RUN dotnet publish src/ImageProxy.Server/ImageProxy.Server.csproj -c Release --no-restore \
      -o /app -p:UseAppHost=false

# ---- runtime -----------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The sources file is mounted here; the disk cache lives in a volume owned by the app user.
RUN mkdir -p /etc/imageproxy /var/cache/imageproxy \
 && chown "$APP_UID" /var/cache/imageproxy
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1
# Non-root: the aspnet images ship the 'app' user (uid in $APP_UID, 1654).
USER $APP_UID
EXPOSE 8080
# The base image has no curl or wget; bash's /dev/tcp is enough for a liveness GET.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /_imageproxy/health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "ImageProxy.Server.dll"]
# Inside a container the server must listen on all interfaces; publish the port deliberately.
CMD ["--urls", "http://0.0.0.0:8080", "--sources", "/etc/imageproxy/sources.json", "--cache-dir", "/var/cache/imageproxy"]

# Multi-stage build of the innograph server. The web pages and the seed graph
# are embedded in the binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/innograph ./cmd/innograph

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/innograph /innograph
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/innograph"]
CMD ["serve"]

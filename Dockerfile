# MentorFlow: one image; the app runs `serve` (the default), its orchestrations on the Durable Task engine it hosts.
# Built in Azure:  az acr build --registry <registry> --image mentorflow:<tag> .
# (No Docker engine is needed locally; see the README's "Deploy to Azure".)

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# Restore first, from the project files alone, so a code change reuses the restored layer.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Shared/MentorFlow.Shared.csproj src/Shared/BannedSymbols.txt src/Shared/
COPY src/Functions/MentorFlow.Functions.csproj src/Functions/
RUN dotnet restore src/Functions/MentorFlow.Functions.csproj --runtime linux-x64
COPY src/ src/
RUN dotnet publish src/Functions/MentorFlow.Functions.csproj --configuration Release --runtime linux-x64 --self-contained false \
        --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_gcServer=0
EXPOSE 8080
# The .NET images ship a non-root user; its uid is in APP_UID.
USER $APP_UID
ENTRYPOINT ["dotnet", "MentorFlow.Functions.dll"]
CMD ["serve"]

@echo off
rem The edge-agent command of the desktop installation: Electron's bundled Node runs the CLI.
rem Used by the Windows service (WinSW) and by provision.nsh after a silent install.
setlocal
set "APP=%~dp0.."
set ELECTRON_RUN_AS_NODE=1
"%APP%\NDXP Edge Agent.exe" "%~dp0app.asar\dist\cli\bin\edge-agent.mjs" %*

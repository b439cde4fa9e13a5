; Silent per-machine install with provisioning, for local IT:
;   ndxp-edge-agent-setup-<version>.exe /S /PROVISION=C:\path\to\provisioning.json
; After the files are installed, runs `edge-agent provision FILE` with the data folder in
; %ProgramData%\NDXP Edge Agent (initialise, enroll, install the Windows service).
; What it prints (nobody sees it under /S) and its exit code go to
; %ProgramData%\NDXP Edge Agent\logs\provision.log (edge-agent --log); a failure sets the
; installer's exit code to 2 so deployment tools see it.
; An upgrade (the new setup run over the old one) keeps the service: electron-builder runs the
; old uninstaller with --updated, whose customUnInstall only stops it, and the new customInstall
; installs it again from the new files (the same data) and starts it.
!include "FileFunc.nsh"

!macro customInstall
  ; $APPDATA is %ProgramData% in the all-users context (a per-machine install).
  SetShellVarContext all
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/PROVISION=" $R1
  ${IfNot} ${Errors}
    CreateDirectory "$APPDATA\NDXP Edge Agent\logs"
    nsExec::ExecToLog '"$INSTDIR\resources\edge-agent.cmd" --home "$APPDATA\NDXP Edge Agent" --lang vi --log "$APPDATA\NDXP Edge Agent\logs\provision.log" provision "$R1" --exec "$INSTDIR\resources\edge-agent.cmd"'
    Pop $R2
    ; One line of its own, for when edge-agent could not even start ($R2 is then "error" or cmd's code).
    FileOpen $R3 "$APPDATA\NDXP Edge Agent\logs\provision.log" a
    FileSeek $R3 0 END
    FileWrite $R3 "setup: provision $R1 ended with $R2$\r$\n$\r$\n"
    FileClose $R3
    ${If} $R2 != "0"
      SetErrorLevel 2
    ${EndIf}
  ${ElseIf} ${FileExists} "$APPDATA\NDXP Edge Agent\service\ndxp-edge-agent.xml"
    ; The service exists (an upgrade or a repair): install it again with the new wrapper and
    ; XML, which also restarts it.
    CreateDirectory "$APPDATA\NDXP Edge Agent\logs"
    nsExec::ExecToLog '"$INSTDIR\resources\edge-agent.cmd" --lang vi --log "$APPDATA\NDXP Edge Agent\logs\upgrade.log" service install --os windows --data "$APPDATA\NDXP Edge Agent" --exec "$INSTDIR\resources\edge-agent.cmd"'
    Pop $R2
    ${If} $R2 != "0"
      SetErrorLevel 2
    ${EndIf}
  ${EndIf}
!macroend

!macro customUnInstall
  SetShellVarContext all
  ${If} ${isUpdated}
    ; Part of an upgrade: stop the service so its program files can be replaced (WinSW 2.x
    ; stopwait returns once it has stopped); the new version's customInstall starts it again.
    nsExec::ExecToLog '"$APPDATA\NDXP Edge Agent\service\ndxp-edge-agent.exe" stopwait'
    Pop $R2
  ${Else}
    ; Stop and remove the service; the data in %ProgramData% stays (it is the office's records).
    nsExec::ExecToLog '"$INSTDIR\resources\edge-agent.cmd" service uninstall --os windows --data "$APPDATA\NDXP Edge Agent"'
    Pop $R2
  ${EndIf}
!macroend

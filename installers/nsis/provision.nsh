; Silent per-machine install with provisioning, for local IT:
;   ndxp-edge-agent-setup-<version>.exe /S /PROVISION=C:\path\to\provisioning.json
; After the files are installed, runs `edge-agent provision FILE` with the data folder in
; %ProgramData%\NDXP Edge Agent (initialise, enroll, install the Windows service).
; The result goes to %ProgramData%\NDXP Edge Agent\logs\provision.log; a failure sets the
; installer's exit code to 2 so deployment tools see it.
!include "FileFunc.nsh"

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/PROVISION=" $R1
  ${IfNot} ${Errors}
    ; $APPDATA is %ProgramData% in the all-users context (a per-machine install).
    SetShellVarContext all
    CreateDirectory "$APPDATA\NDXP Edge Agent\logs"
    nsExec::ExecToLog '"$INSTDIR\resources\edge-agent.cmd" --home "$APPDATA\NDXP Edge Agent" --lang vi provision "$R1" --exec "$INSTDIR\resources\edge-agent.cmd"'
    Pop $R2
    FileOpen $R3 "$APPDATA\NDXP Edge Agent\logs\provision.log" a
    FileWrite $R3 "provision $R1 exit code $R2$\r$\n"
    FileClose $R3
    ${If} $R2 != "0"
      SetErrorLevel 2
    ${EndIf}
  ${EndIf}
!macroend

!macro customUnInstall
  SetShellVarContext all
  ; Stop and remove the service; the data in %ProgramData% stays (it is the office's records).
  nsExec::ExecToLog '"$INSTDIR\resources\edge-agent.cmd" service uninstall --os windows'
  Pop $R2
!macroend

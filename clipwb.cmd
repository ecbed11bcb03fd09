@echo off
rem The CLIP Workbench command line. Runs the jar that "mvn -B -ntp package" builds; it builds nothing itself.
setlocal
set "JAR=%~dp0target\clip-workbench.jar"
if not exist "%JAR%" (
  echo clipwb: %JAR% is missing: build it once with "mvn -B -ntp package -DskipTests" in %~dp0 1>&2
  exit /b 1
)
rem Bit-identical results from MKL whatever the memory alignment (same seed, same run; read only at start-up).
if not defined MKL_CBWR set "MKL_CBWR=AUTO,STRICT"
if not defined MKL_DYNAMIC set "MKL_DYNAMIC=FALSE"
if not defined OMP_DYNAMIC set "OMP_DYNAMIC=FALSE"
if not defined CLIPWB_JAVA_OPTS set "CLIPWB_JAVA_OPTS=-Xmx6g"
java %CLIPWB_JAVA_OPTS% -Dai.djl.offline=true -jar "%JAR%" %*
exit /b %ERRORLEVEL%

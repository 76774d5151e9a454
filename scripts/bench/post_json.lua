-- wrk script: POST the JSON body in $WRK_BODY to the URL's path.
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/json"

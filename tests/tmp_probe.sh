postmulti -e init; echo "init $?"
postmulti -e create -I postfix-a >/tmp/o 2>/tmp/e; echo "create $?"; echo "err:"; cat /tmp/e
echo custom > /var/spool/postfix-a/etc/mine; echo x >> /var/spool/postfix-a/etc/hosts
postmulti -n -e destroy -i postfix-a; echo "dry $?"
postmulti -e destroy -i postfix-a >/tmp/o 2>/tmp/e; echo "destroy $?"; echo "out:"; cat /tmp/o; echo "err:"; cat /tmp/e
find /var/spool/postfix-a 2>&1
postmulti -e create -I postfix-b >/dev/null; postmulti -e destroy -i postfix-b; echo "destroy b $?"; ls /var/spool/postfix-b
